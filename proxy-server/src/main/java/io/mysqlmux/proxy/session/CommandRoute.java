package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.wire.CommandCode;

/** Where a client command goes: to a server connection, answered by the proxy, or refused. */
public enum CommandRoute {
    /** Needs a server connection; the response is relayed. */
    FORWARD,
    /** COM_QUERY: forwarded after the lexer looked at it (KILL, session-owned values, untracked state). */
    QUERY,
    /** COM_CHANGE_USER: checked and carried out by the proxy itself. */
    CHANGE_USER,
    /** COM_PROCESS_KILL: the id is one of the proxy's client ids, as with KILL. */
    PROCESS_KILL,
    /** COM_PING: answered by the proxy unless a server connection is held (then the server answers). */
    PING,
    /** COM_QUIT: the client is leaving; nothing is answered. */
    QUIT,
    /** COM_SET_OPTION: only the session's wish changes; it is applied when a connection is next used. */
    SET_OPTION,
    /** COM_RESET_CONNECTION: the session goes back to its state right after login. */
    RESET_CONNECTION,
    /** COM_STMT_PREPARE: the client gets an id of the proxy's; the answer may come from the pool's cache. */
    PREPARE,
    /** COM_STMT_EXECUTE, _FETCH, _RESET, _SEND_LONG_DATA, MariaDB's _BULK_EXECUTE: the id is translated. */
    STATEMENT,
    /** COM_STMT_CLOSE: the client's id goes; the server statement stays cached on its connection. */
    CLOSE_STATEMENT,
    /** Replication, shutdown, and internal or unknown command bytes. */
    UNSUPPORTED;

    public static CommandRoute of(CommandCode command) {
        switch (command) {
            case COM_QUERY:
                return QUERY;
            case COM_CHANGE_USER:
                return CHANGE_USER;
            case COM_PROCESS_KILL:
                return PROCESS_KILL;
            case COM_INIT_DB:
            case COM_FIELD_LIST:
            case COM_STATISTICS:
            case COM_PROCESS_INFO:
            case COM_REFRESH:
            case COM_DEBUG:
                return FORWARD;
            case COM_PING:
                return PING;
            case COM_QUIT:
                return QUIT;
            case COM_SET_OPTION:
                return SET_OPTION;
            case COM_RESET_CONNECTION:
                return RESET_CONNECTION;
            case COM_STMT_PREPARE:
                return PREPARE;
            case COM_STMT_EXECUTE:
            case COM_STMT_FETCH:
            case COM_STMT_RESET:
            case COM_STMT_SEND_LONG_DATA:
            case COM_STMT_BULK_EXECUTE:
                return STATEMENT;
            case COM_STMT_CLOSE:
                return CLOSE_STATEMENT;
            default:
                return UNSUPPORTED;
        }
    }
}
