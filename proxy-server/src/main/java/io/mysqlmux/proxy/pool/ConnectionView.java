package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;

/**
 * One server connection as SHOW BACKENDS lists it.
 *
 * @param state    its pool state in lower case (connecting, idle, leased, checking, retiring)
 * @param holderId the client id of the session it is lent to, or -1
 */
public record ConnectionView(BackendConnection connection, String state, long holderId, long createdNanos) {
}
