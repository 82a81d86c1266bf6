package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;

/**
 * One loan of one server connection to one holder. The holder gives it back exactly once, in one of
 * three ways: {@link #release()} (clean), {@link #releaseDirty} (the pool cleans it first), or
 * {@link #discard} (closed). A lease that was given back, or whose connection the pool already
 * counted as gone, ignores further calls: a late or doubled return can never touch a connection
 * another holder has by then.
 */
public final class Lease {
    /** What the pool must do before lending a dirty connection again. */
    public enum Cleanup {
        /** The holder left inside a transaction: ROLLBACK. */
        ROLLBACK,
        /** The holder left state only a reset drops (variables, temporary tables, locks): COM_RESET_CONNECTION. */
        RESET
    }

    private final BackendPool pool;
    private final PooledConnection pooled;
    private final long holderId;
    private final long grantedNanos = System.nanoTime();

    Lease(BackendPool pool, PooledConnection pooled, long holderId) {
        this.pool = pool;
        this.pooled = pooled;
        this.holderId = holderId;
    }

    public BackendConnection connection() {
        return pooled.connection();
    }

    public BackendPool pool() {
        return pool;
    }

    /** The client id of the holder (SHOW BACKENDS). */
    public long holderId() {
        return holderId;
    }

    public long grantedNanos() {
        return grantedNanos;
    }

    /** Gives back a connection with no transaction and no state of the holder's on it. */
    public void release() {
        pool.release(this, null, null);
    }

    /** Gives back a connection the pool must clean first; if cleaning fails it is closed. */
    public void releaseDirty(Cleanup cleanup) {
        pool.release(this, cleanup, null);
    }

    /**
     * {@link #releaseDirty(Cleanup)}, and {@code whenClean} runs (on the pool's thread) once nothing
     * of the holder's is left on the server: cleaned, or closed.
     */
    public void releaseDirty(Cleanup cleanup, Runnable whenClean) {
        pool.release(this, cleanup, whenClean);
    }

    /** Closes the connection: it broke, or a response was cut off and its position is unknown. */
    public void discard(String why) {
        pool.discard(this, why);
    }

    PooledConnection pooled() {
        return pooled;
    }

    @Override
    public String toString() {
        return pooled + " lent to c" + holderId;
    }
}
