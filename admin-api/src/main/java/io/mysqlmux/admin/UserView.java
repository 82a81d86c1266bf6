package io.mysqlmux.admin;

/**
 * A configured user as {@code SHOW USERS} lists it.
 *
 * @param maxConnections its client connection limit (0 = none)
 * @param connections    its client connections now
 * @param pools          its pools ({@code user@host:port[/found_rows|/eof|/found_rows,eof]}), comma-separated
 */
public record UserView(String name, int maxConnections, int connections, String pools) {
}
