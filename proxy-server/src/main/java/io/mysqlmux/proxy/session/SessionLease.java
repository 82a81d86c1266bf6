package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.backend.BackendCleanup;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendPool;
import io.mysqlmux.proxy.backend.LeaseRequester;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.backend.Waiter;
import io.mysqlmux.proxy.relay.ProxyError;
import io.netty.util.concurrent.EventExecutor;

/**
 * The server connection a client session holds, or waits for, and the pool it comes from: borrow
 * (preferring the connection used last, or one already in the wanted state), retry when a borrowed
 * connection turns out dead before anything was sent, give back clean, and after the client left,
 * give back only what another client may see.
 */
final class SessionLease implements LeaseRequester {
    private static final int MAX_RETRIES = 2;

    private final ClientSession session;
    private BackendPool pool;
    private BackendConnection connection;
    private BackendConnection lastConnection;
    private Waiter waiter;
    private int retries;
    /** When the held connection was leased, and whether the leak warning was logged for this lease. */
    private long heldSinceNanos;
    private boolean heldWarned;

    SessionLease(ClientSession session, BackendPool pool) {
        this.session = session;
        this.pool = pool;
    }

    BackendPool pool() {
        return pool;
    }

    /** The server connection held, or null. */
    BackendConnection connection() {
        return connection;
    }

    long heldSinceNanos() {
        return heldSinceNanos;
    }

    boolean heldWarned() {
        return heldWarned;
    }

    void heldWarned(boolean warned) {
        heldWarned = warned;
    }

    /** A new command: a dead connection may be replaced this many times before the command fails. */
    void newCommand() {
        retries = 0;
    }

    void acquire() {
        if (session.services().gate().admit(this)) {
            waiter = pool.acquire(this);
        }
    }

    /** RESUME: the command held by PAUSE asks for a connection again, on the session's loop. */
    void retryAfterPause() {
        executor().execute(() -> {
            if (session.state() != ClientSession.State.CLOSED) {
                acquire();
            }
        });
    }

    /** Draining for shutdown: the command is not run and the client is told to go. */
    void refused(ErrPacket error) {
        executor().execute(() -> {
            if (session.state() != ClientSession.State.CLOSED) {
                session.fail(error, 1);
            }
        });
    }

    @Override
    public EventExecutor executor() {
        return session.executor();
    }

    @Override
    public BackendConnection preferred() {
        return lastConnection;
    }

    @Override
    public SessionState wantedState() {
        return session.tracked().wanted();
    }

    @Override
    public void onLeased(BackendConnection leased) {
        waiter = null;
        if (session.state() == ClientSession.State.CLOSED) {
            pool.release(leased);
            return;
        }
        if (!leased.attach(session)) {
            pool.discard(leased);
            retryOrFail("the connection closed while idle");
            return;
        }
        connection = leased;
        heldSinceNanos = System.nanoTime();
        heldWarned = false;
        session.leased();
    }

    @Override
    public void onLeaseFailed(ErrPacket error) {
        waiter = null;
        if (session.state() != ClientSession.State.CLOSED) {
            session.leaseFailed(error);
        }
    }

    /** The held connection broke before the command was sent: try another, a bounded number of times. */
    void retryOrFail(String why) {
        if (++retries <= MAX_RETRIES) {
            acquire();
            return;
        }
        onLeaseFailed(ProxyError.SERVER_CONNECTION_LOST.packet(why));
    }

    /** Gives back a clean connection. */
    void release() {
        BackendConnection released = connection;
        connection = null;
        lastConnection = released;
        pool.release(released);
    }

    /** Closes the held connection (broken, or cut off mid-response). */
    void discard() {
        BackendConnection broken = connection;
        connection = null;
        pool.discard(broken);
    }

    /** Lets go of the held connection without giving it back (it is being cleaned elsewhere). */
    BackendConnection detach() {
        BackendConnection held = connection;
        connection = null;
        if (held != null) {
            held.detach();
        }
        return held;
    }

    /**
     * After the client left: a connection cut off mid-response is closed; one holding the client's
     * transaction is rolled back, one holding anything else of it is reset; a clean one goes back.
     */
    void releaseAfterClose(boolean midResponse, PinReason hold) {
        BackendConnection held = connection;
        connection = null;
        if (held == null) {
            return;
        }
        if (midResponse) {
            pool.discard(held);
            return;
        }
        held.detach();
        held.autoRead(true);
        if (hold == null) {
            pool.release(held);
        } else if (hold == PinReason.TRANSACTION) {
            BackendCleanup.rollbackThenRelease(held);
        } else {
            BackendCleanup.resetThenRelease(held);
        }
    }

    /** Stops waiting for a connection (the client left). */
    void cancel() {
        if (waiter != null) {
            pool.cancel(waiter);
            waiter = null;
        }
    }

    /** COM_CHANGE_USER: later commands borrow from the new user's pool. */
    void switchPool(BackendPool next) {
        pool = next;
        lastConnection = null;
    }
}
