package io.mysqlmux.proxy.backend;

/**
 * Whether the server can be reached, for the readiness probe: the outcome of the most recent
 * attempt to open a server connection. When the proxy holds no server connection at all, the pools'
 * maintenance opens one (which then serves clients like any other), so a stopped server is noticed
 * within seconds even when no client is asking.
 */
public final class ServerHealth {
    private volatile boolean reachable;
    private volatile String problem = "the server has not been reached yet";

    public void connected() {
        reachable = true;
        problem = "";
    }

    public void connectFailed(String reason) {
        reachable = false;
        problem = "the server cannot be reached: " + reason;
    }

    public boolean reachable() {
        return reachable;
    }

    /** Why not reachable (empty when it is). */
    public String problem() {
        return problem;
    }
}
