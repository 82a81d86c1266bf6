package io.mysqlmux.admin;

/**
 * One server connection as {@code SHOW BACKENDS} lists it.
 *
 * @param id                 the proxy's id for it ({@code b<id>} in logs)
 * @param pool               the pool it belongs to ({@code user@host:port})
 * @param state              {@code connecting}, {@code idle}, {@code leased}, {@code cleaning} or {@code closed}
 * @param ageSeconds         since it was opened
 * @param leasedTo           the client id holding it, or -1
 * @param statementsExecuted commands it ran for clients
 * @param serverThreadId     the server's id for it (its processlist {@code ID})
 */
public record BackendView(long id, String pool, String state, long ageSeconds, long leasedTo,
                          long statementsExecuted, long serverThreadId) {
}
