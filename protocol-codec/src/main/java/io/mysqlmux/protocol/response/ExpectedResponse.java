package io.mysqlmux.protocol.response;

import io.mysqlmux.protocol.wire.CommandCode;

/** The shape of the server's answer to a command, which decides how its end is found. */
public enum ExpectedResponse {
    /** COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: the server says nothing. */
    NONE,
    /** OK, ERR, LOCAL INFILE request or result sets, repeated while SERVER_MORE_RESULTS_EXISTS. */
    RESULT,
    /**
     * COM_STMT_EXECUTE: like {@link #RESULT}, except that a result set whose metadata ends with
     * SERVER_STATUS_CURSOR_EXISTS (and no SERVER_MORE_RESULTS_EXISTS) ends the response there: the
     * execute opened a cursor, and its rows come with COM_STMT_FETCH.
     */
    EXECUTE,
    /** COM_STATISTICS: exactly one packet of plain text (or an ERR). */
    SINGLE_PACKET,
    /** COM_FIELD_LIST: column definitions until a terminator, or an ERR. */
    FIELD_LIST,
    /** COM_STMT_PREPARE: PREPARE_OK, parameter definitions, column definitions, or an ERR. */
    PREPARE,
    /** COM_STMT_FETCH: rows straight away, then a terminator, or an ERR. */
    ROWS;

    public static ExpectedResponse forCommand(CommandCode command) {
        switch (command) {
            case COM_QUIT:
            case COM_STMT_CLOSE:
            case COM_STMT_SEND_LONG_DATA:
                return NONE;
            case COM_STATISTICS:
                return SINGLE_PACKET;
            case COM_FIELD_LIST:
                return FIELD_LIST;
            case COM_STMT_PREPARE:
                return PREPARE;
            case COM_STMT_FETCH:
                return ROWS;
            case COM_STMT_EXECUTE:
                return EXECUTE;
            default:
                return RESULT;
        }
    }
}
