package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.netty.channel.EventLoop;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The pool's record of one server connection, from the moment it is asked for until its channel has
 * closed. At any moment it is in exactly one {@link State}; only {@link BackendPool#moveTo} changes
 * it, under the pool's lock, and the pool's counts are the number of records in each state.
 *
 * <pre>
 *   CONNECTING ──connected──▶ IDLE ◀──────────────┐
 *       │                      │ acquire          │ clean release / check passed
 *       │ failed               ▼                  │
 *       │                     LEASED ──dirty──▶ CHECKING (rollback, reset, ping)
 *       ▼                      │                  │ failed
 *     (gone)   ◀── closed ── RETIRING ◀───────────┘ ◀── expired, over max_size, discarded
 * </pre>
 *
 * Every path ends in RETIRING and then gone: the slot counts against {@code max_size} until the
 * channel has really closed, so the server never sees more connections than the pool admits to.
 */
final class PooledConnection {
    /** Where the connection is in its life. */
    enum State {
        /** TCP connect, login and session setup under way; no {@link BackendConnection} yet. */
        CONNECTING,
        /** On its home loop's shelf, clean, waiting to be lent. */
        IDLE,
        /** Lent to exactly one {@link Lease}; its holder reads and writes it. */
        LEASED,
        /** The pool's own commands run on it: a validation ping, or cleaning after its last holder. */
        CHECKING,
        /** Ending: COM_QUIT sent or the channel closing; its slot frees once the channel is closed. */
        RETIRING
    }

    /** Each connection lives up to this share less than max_lifetime, so that they do not all go at once. */
    static final double MAX_LIFETIME_JITTER = 0.025;

    private final long createdNanos = System.nanoTime();
    private final double lifetimeShare = 1 - ThreadLocalRandom.current().nextDouble(MAX_LIFETIME_JITTER);
    private final EventLoop home;
    // The fields below are written under the pool's lock.
    private State state = State.CONNECTING;
    private BackendConnection connection;
    private Lease lease;
    private long shelvedAtNanos = createdNanos;
    private int shelvedStateHash;
    private BackendReceiver idleWatcher;

    PooledConnection(EventLoop home) {
        this.home = home;
    }

    State state() {
        return state;
    }

    /** Only {@link BackendPool#moveTo} calls this. */
    void state(State next) {
        state = next;
    }

    /** Null while CONNECTING. */
    BackendConnection connection() {
        return connection;
    }

    void connected(BackendConnection opened) {
        connection = opened;
    }

    EventLoop home() {
        return home;
    }

    /** The lease that holds it while LEASED, else null. */
    Lease lease() {
        return lease;
    }

    void lease(Lease holder) {
        lease = holder;
    }

    /** Notes the state and time as it goes on a shelf (matching compares the hash, never the state). */
    void shelved(long nowNanos) {
        shelvedAtNanos = nowNanos;
        shelvedStateHash = connection.sessionState().hashCode();
    }

    long shelvedAtNanos() {
        return shelvedAtNanos;
    }

    int shelvedStateHash() {
        return shelvedStateHash;
    }

    /** The reader of the connection while it sits on a shelf (one per connection, made on first use). */
    BackendReceiver idleWatcher(ConnectionChecks checks) {
        if (idleWatcher == null) {
            idleWatcher = checks.idleWatcher(this);
        }
        return idleWatcher;
    }

    long createdNanos() {
        return createdNanos;
    }

    double lifetimeShare() {
        return lifetimeShare;
    }

    @Override
    public String toString() {
        return connection == null ? "b? (connecting)" : connection.toString();
    }
}
