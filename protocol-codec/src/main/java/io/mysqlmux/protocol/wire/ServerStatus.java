package io.mysqlmux.protocol.wire;

/**
 * Server status flags carried by OK and EOF packets (and the greeting). The proxy reads them from
 * the last packet of every response to decide whether a server connection may go back to the pool.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html">SERVER_STATUS_*</a>
 */
public final class ServerStatus {
    public static final int SERVER_STATUS_IN_TRANS = 0x0001;
    public static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;
    public static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;
    public static final int SERVER_QUERY_NO_GOOD_INDEX_USED = 0x0010;
    public static final int SERVER_QUERY_NO_INDEX_USED = 0x0020;
    public static final int SERVER_STATUS_CURSOR_EXISTS = 0x0040;
    public static final int SERVER_STATUS_LAST_ROW_SENT = 0x0080;
    public static final int SERVER_STATUS_DB_DROPPED = 0x0100;
    public static final int SERVER_STATUS_NO_BACKSLASH_ESCAPES = 0x0200;
    public static final int SERVER_STATUS_METADATA_CHANGED = 0x0400;
    public static final int SERVER_QUERY_WAS_SLOW = 0x0800;
    public static final int SERVER_PS_OUT_PARAMS = 0x1000;
    public static final int SERVER_STATUS_IN_TRANS_READONLY = 0x2000;
    public static final int SERVER_SESSION_STATE_CHANGED = 0x4000;
    /** MariaDB only: sql_mode has ANSI_QUOTES. */
    public static final int SERVER_STATUS_ANSI_QUOTES = 0x8000;

    private ServerStatus() {
    }

    public static boolean isInTransaction(int status) {
        return (status & SERVER_STATUS_IN_TRANS) != 0;
    }

    public static boolean isAutocommit(int status) {
        return (status & SERVER_STATUS_AUTOCOMMIT) != 0;
    }

    public static boolean moreResults(int status) {
        return (status & SERVER_MORE_RESULTS_EXISTS) != 0;
    }

    public static boolean cursorExists(int status) {
        return (status & SERVER_STATUS_CURSOR_EXISTS) != 0;
    }

    public static boolean lastRowSent(int status) {
        return (status & SERVER_STATUS_LAST_ROW_SENT) != 0;
    }

    public static boolean sessionStateChanged(int status) {
        return (status & SERVER_SESSION_STATE_CHANGED) != 0;
    }

    public static boolean noBackslashEscapes(int status) {
        return (status & SERVER_STATUS_NO_BACKSLASH_ESCAPES) != 0;
    }
}
