package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.wire.ServerStatus;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The prepared statements of one client session, by the ids the proxy handed out (1, 2, ...; never
 * reused within the session, as a server does). Also remembers the statement prepared last (MariaDB
 * clients execute "-1" right after a pipelined prepare), one with long data waiting for its execute
 * (which keeps the server connection that holds the data), and those whose cursors are open (each
 * keeps it too: Connector/J with useCursorFetch reads several result sets in turn).
 */
final class ClientStatements {
    private final Map<Long, ClientStatement> byId = new HashMap<>();
    private long nextId = 1;
    private long lastPrepared = -1;
    private long longDataPending = -1;
    /** The statements whose cursors are open on the held connection. */
    private final Set<Long> openCursors = new LinkedHashSet<>();

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
        openCursors.clear();
    }

    /**
     * A COM_STMT_EXECUTE, _FETCH or _RESET of {@code id} ended with {@code status}: its cursor is open
     * exactly when the server says so. A failed command leaves none (an execute closes the old
     * cursor first; a fetch fails because there is none).
     */
    void cursorAfter(long id, int status, boolean failed) {
        if (!failed && ServerStatus.cursorExists(status)) {
            openCursors.add(id);
        } else {
            openCursors.remove(id);
        }
    }

    /** Forgets the statement's cursor; returns true if it had one open. */
    boolean closeCursor(long id) {
        return openCursors.remove(id);
    }

    boolean hasOpenCursor() {
        return !openCursors.isEmpty();
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
