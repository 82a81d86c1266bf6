package io.mysqlmux.admin;

/**
 * One client connection as {@code SHOW CLIENTS} and {@code SHOW PROCESSLIST} list it.
 *
 * @param id             the connection id the client saw in its greeting
 * @param address        client {@code host:port}
 * @param schema         current default schema, or null
 * @param state          {@code login}, {@code idle}, {@code waiting}, {@code active}, {@code in-transaction} or {@code pinned}
 * @param pinReason      why pinned or held (e.g. {@code user variable}), or null
 * @param secondsInState time since the state last changed
 * @param backendId      the server connection it holds, or -1
 * @param lastStatement  the start of its last statement (truncated, no parameter values), or null
 */
public record ClientView(long id, String user, String address, String schema, String state, String pinReason,
                         long secondsInState, long backendId, String lastStatement) {
}
