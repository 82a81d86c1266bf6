package io.mysqlmux.bench.load;

/**
 * Where a load goes: the server directly, the server through mysqlmux, or any other endpoint
 * (another proxy, a TCP relay).
 *
 * @param name     shown in reports ({@code direct}, {@code mysqlmux}, {@code haproxy})
 * @param database the default schema clients log in with
 * @param pid      the process on this machine that relays for this target (mysqlmux, HAProxy), whose
 *                 CPU time per query is reported; 0 when there is none or it is elsewhere
 */
public record Target(String name, String host, int port, String user, String password, String database, long pid) {

    public Target(String name, String host, int port, String user, String password, String database) {
        this(name, host, port, user, password, database, 0);
    }

    public Target withPid(long processId) {
        return new Target(name, host, port, user, password, database, processId);
    }

    @Override
    public String toString() {
        return name + " (" + host + ":" + port + ")";
    }
}
