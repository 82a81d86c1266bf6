package io.mysqlmux.proxy.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one client session, by the ids the proxy handed out (1, 2, ...; never
 * reused within the session, as a server does). Also remembers the statement prepared last (MariaDB
 * clients execute "-1" right after a pipelined prepare) and one with long data waiting for its
 * execute (which keeps the server connection that holds the data), and the one whose cursor is open.
 */
final class ClientStatements {
    private final Map<Long, ClientStatement> byId = new HashMap<>();
    private long nextId = 1;
    private long lastPrepared = -1;
    private long longDataPending = -1;
    /** The statement whose cursor is open on the held connection, or -1. */
    private long cursor = -1;

    long nextId() {
        return nextId;
    }

    void add(ClientStatement statement) {
        byId.put(statement.id(), statement);
        nextId = statement.id() + 1;
        lastPrepared = statement.id();
    }

    /** The statement with that id ({@code 0xFFFFFFFF}: the one prepared last), or null. */
    ClientStatement get(long id) {
        return byId.get(id == io.mysqlmux.protocol.command.StatementIds.LAST_PREPARED ? lastPrepared : id);
    }

    ClientStatement remove(long id) {
        if (id == longDataPending) {
            longDataPending = -1;
        }
        return byId.remove(id);
    }

    /** COM_RESET_CONNECTION and COM_CHANGE_USER close every statement of the session. */
    void clear() {
        byId.clear();
        longDataPending = -1;
        cursor = -1;
    }

    long cursor() {
        return cursor;
    }

    void cursor(long statementId) {
        cursor = statementId;
    }

    void longDataSent(long id) {
        longDataPending = id;
    }

    /** The statement's long data was used or dropped (executed or reset). */
    void longDataDone(long id) {
        if (id == longDataPending) {
            longDataPending = -1;
        }
    }

    boolean hasLongDataPending() {
        return longDataPending >= 0;
    }

    int size() {
        return byId.size();
    }
}
