package io.mysqlmux.bench.load;

/**
 * Where a load goes: the server directly, the server through mysqlmux, or any other endpoint
 * (another proxy, a TCP relay).
 *
 * @param name     shown in reports ({@code direct}, {@code mysqlmux}, {@code haproxy})
 * @param database the default schema clients log in with
 */
public record Target(String name, String host, int port, String user, String password, String database) {

    @Override
    public String toString() {
        return name + " (" + host + ":" + port + ")";
    }
}
