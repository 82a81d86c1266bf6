package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.error.ProxyError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a session may borrow a server connection now. Open normally; paused (the admin's PAUSE,
 * for server maintenance) it holds every command that needs a new server connection until RESUME,
 * while sessions that already hold one (open transactions) run on and finish; draining (graceful
 * shutdown) it turns such commands away with ERROR 1053 so that the proxy can stop once the running
 * transactions are done.
 */
public final class TrafficGate {
    private static final Logger log = LoggerFactory.getLogger(TrafficGate.class);

    /** What the gate does with a command that needs a server connection. */
    public enum Mode { OPEN, PAUSED, DRAINING }

    private volatile Mode mode = Mode.OPEN;
    private final List<SessionLease> held = new ArrayList<>();

    public Mode mode() {
        return mode;
    }

    /**
     * Called before a lease is asked for: true when the lease may go ahead now. When paused, the
     * lease is kept and asked again at {@link #open()}; when draining, the session is told to go.
     */
    boolean admit(SessionLease lease) {
        if (mode == Mode.OPEN) {
            return true;
        }
        synchronized (this) {
            if (mode == Mode.PAUSED) {
                held.add(lease);
                return false;
            }
        }
        if (mode == Mode.DRAINING) {
            lease.refused(ProxyError.SHUTTING_DOWN.packet());
            return false;
        }
        return true;
    }

    public void pause() {
        synchronized (this) {
            if (mode == Mode.OPEN) {
                mode = Mode.PAUSED;
            }
        }
        log.info("paused: commands that need a server connection wait; open transactions run on");
    }

    /** Lets every held command go on, in the order they came. */
    public void open() {
        List<SessionLease> release;
        synchronized (this) {
            if (mode != Mode.PAUSED) {
                return;
            }
            mode = Mode.OPEN;
            release = new ArrayList<>(held);
            held.clear();
        }
        log.info("resumed: {} held command(s) go on", release.size());
        release.forEach(SessionLease::retryAfterPause);
    }

    /** From now on commands that need a server connection are refused; held ones too. */
    public void drain() {
        List<SessionLease> refuse;
        synchronized (this) {
            mode = Mode.DRAINING;
            refuse = new ArrayList<>(held);
            held.clear();
        }
        refuse.forEach(lease -> lease.refused(ProxyError.SHUTTING_DOWN.packet()));
    }

    /** Commands held by PAUSE right now. */
    public synchronized int heldCount() {
        return held.size();
    }
}
