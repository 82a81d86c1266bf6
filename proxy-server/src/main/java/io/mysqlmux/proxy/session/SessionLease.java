package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.Lease;
import io.mysqlmux.proxy.pool.LeaseRequester;
import io.mysqlmux.proxy.pool.Waiter;
import io.netty.util.concurrent.EventExecutor;

/**
 * The server connection a client session holds, or waits for, and the pool it comes from. It asks
 * (preferring the connection used last, or one already in the wanted state), retries a bounded
 * number of times when a connection turns out dead before anything was sent, and gives it back in
 * exactly one of the ways a {@link Lease} allows. When the session ends, {@link #endOfSession} is
 * the one place where whatever it held goes back: closed if a command or a KILL was under way on
 * it, cleaned if the client left state on it, released if it is clean.
 *
 * <p>Runs on the session's event loop.
 */
final class SessionLease implements LeaseRequester {
    private static final int MAX_RETRIES = 2;

    /** Where a requested connection goes. */
    interface Listener {
        void leased();

        void leaseFailed(ErrPacket error);
    }

    private final ClientSession session;
    private final Waiter waiter = new Waiter(this);
    private BackendPool pool;
    private Listener listener;
    private Lease lease;
    private BackendConnection lastConnection;
    /** How many commands {@link #lastConnection} had run when it went back: more later means another used it. */
    private long lastCommands;
    private int retries;
    /** KILL QUERYs aimed at the held connection's server thread still in flight: it must not move meanwhile. */
    private int killsInFlight;
    /** One of them was a KILL CONNECTION: the session closes once they are done. */
    private boolean closeAfterKill;
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
        return lease == null ? null : lease.connection();
    }

    boolean isHeld() {
        return lease != null;
    }

    long heldSinceNanos() {
        return lease == null ? 0 : lease.grantedNanos();
    }

    boolean heldWarned() {
        return heldWarned;
    }

    void heldWarned(boolean warned) {
        heldWarned = warned;
    }

    /** Asks for a connection for a new command; the answer goes to {@code next}. */
    void acquire(Listener next) {
        listener = next;
        retries = 0;
        ask();
    }

    private void ask() {
        if (!session.services().gate().admit(this)) {
            return; // held by PAUSE (asked again at RESUME) or refused by a drain
        }
        Lease granted = pool.acquire(waiter);
        if (granted != null) {
            onLeased(granted);
        }
    }

    /** RESUME: the command held by PAUSE asks again, on the session's loop. */
    void retryAfterPause() {
        executor().execute(() -> {
            if (listener != null && !session.isClosed()) {
                ask();
            }
        });
    }

    /** Draining for shutdown: the command is not run and the client is told to go. */
    void refused(ErrPacket error) {
        executor().execute(() -> {
            if (listener != null && !session.isClosed()) {
                listener = null;
                session.fail(error, 1);
            }
        });
    }

    @Override
    public EventExecutor executor() {
        return session.executor();
    }

    @Override
    public long clientId() {
        return session.id();
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
    public void onLeased(Lease granted) {
        Listener next = listener;
        listener = null;
        if (next == null || session.isClosed() || lease != null) {
            granted.release(); // nobody wants it any more; nothing was done on it
            return;
        }
        if (!granted.connection().attach(session.reader())) {
            granted.discard("closed while idle");
            listener = next;
            retryOrFail("the connection closed while idle");
            return;
        }
        lease = granted;
        heldWarned = false;
        next.leased();
    }

    @Override
    public void onLeaseFailed(ErrPacket error) {
        Listener next = listener;
        listener = null;
        if (next != null && !session.isClosed()) {
            next.leaseFailed(error);
        }
    }

    /**
     * The held connection broke before the command was sent: it is closed and another is asked
     * for, a bounded number of times, for the same {@code next}.
     */
    void replaceBroken(String why, Listener next) {
        discard(why);
        listener = next;
        retryOrFail(why);
    }

    private void retryOrFail(String why) {
        if (++retries <= MAX_RETRIES) {
            ask();
        } else {
            onLeaseFailed(ProxyError.SERVER_CONNECTION_LOST.packet(why));
        }
    }

    /** Gives back a clean connection, unless a KILL aimed at it is still under way (then at {@link #killDone}). */
    void release() {
        if (lease == null || killsInFlight > 0) {
            return;
        }
        Lease held = lease;
        lease = null;
        lastConnection = held.connection();
        lastCommands = lastConnection.commandsExecuted();
        held.release();
    }

    /** True when the connection held now ran this session's previous command and nothing since. */
    boolean onLastConnectionUntouched() {
        BackendConnection held = connection();
        return held != null && held == lastConnection && held.commandsExecuted() == lastCommands;
    }

    /**
     * A command is over on {@code held}: it goes back unless {@code hold} keeps it with the session.
     * Returns false when it turned out closed while it carried the session's state (then the
     * session is closed too).
     */
    boolean afterCommand(BackendConnection held, PinReason hold) {
        if (held != null && !held.attach(session.reader())) {
            // It closed while the proxy's own commands read it: with state on it, the session cannot go on.
            discard("closed after a command");
            if (hold != null) {
                session.close("server connection " + held + " lost");
                return false;
            }
        } else if (hold == null) {
            session.response().resumeServer(held);
            release();
        }
        return true;
    }

    /**
     * Gives back the connection for the pool to clean (COM_CHANGE_USER: the next user must not see
     * this one's state); {@code then} runs on the session's loop once nothing of it is left on the
     * server, so that its locks are gone before the client hears back.
     */
    void releaseDirty(Lease.Cleanup cleanup, Runnable then) {
        Lease held = lease;
        lease = null;
        if (held == null) {
            then.run();
        } else if (killsInFlight > 0) {
            held.discard("a KILL for its last holder was still under way");
            then.run();
        } else {
            held.releaseDirty(cleanup, () -> executor().execute(() -> {
                if (!session.isClosed()) {
                    then.run();
                }
            }));
        }
    }

    /** Closes the held connection (broken, or cut off mid-response). */
    void discard(String why) {
        Lease held = lease;
        lease = null;
        if (held != null) {
            held.discard(why);
        }
    }

    /**
     * The session ended. A connection with a command under way (its response position unknown) or a
     * KILL on its way is closed; one holding the client's transaction is rolled back, one holding
     * other state of it is reset; a clean one goes back.
     */
    void endOfSession(boolean commandUnderWay, PinReason hold) {
        listener = null;
        pool.cancel(waiter);
        Lease held = lease;
        lease = null;
        if (held == null) {
            return;
        }
        held.connection().autoRead(true);
        if (commandUnderWay || killsInFlight > 0) {
            held.discard(commandUnderWay ? "its client left during a command" : "its client was killed");
        } else if (hold == null) {
            held.release();
        } else {
            held.releaseDirty(hold == PinReason.TRANSACTION ? Lease.Cleanup.ROLLBACK : Lease.Cleanup.RESET);
        }
    }

    /** A KILL QUERY for the held connection's server thread is on its way ({@code closeToo}: KILL CONNECTION). */
    void killStarted(boolean closeToo) {
        killsInFlight++;
        closeAfterKill |= closeToo;
    }

    boolean closeAfterKill() {
        return closeAfterKill;
    }

    /** Returns true when no KILL is in flight any more. */
    boolean killDone() {
        if (--killsInFlight > 0) {
            return false;
        }
        closeAfterKill = false;
        return true;
    }

    /** COM_CHANGE_USER: later commands borrow from the new user's pool. */
    void switchPool(BackendPool next) {
        pool = next;
        lastConnection = null;
    }
}
