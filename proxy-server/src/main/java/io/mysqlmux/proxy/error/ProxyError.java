package io.mysqlmux.proxy.error;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;

/**
 * Every error the proxy itself sends, in one place: the MySQL code and SQLSTATE drivers react to,
 * and a message that says what happened, with the numbers, and what to do. Whether the command or
 * the connection dies is decided at the site that sends it, and said in the message where it matters.
 */
public enum ProxyError {
    TOO_MANY_CONNECTIONS(ErrorCode.ER_CON_COUNT_ERROR,
            "Too many connections: mysqlmux accepts at most %d client connections (max_client_connections);"
                    + " retry later, close idle connections, or raise the limit"),
    USER_CONNECTION_LIMIT(ErrorCode.ER_USER_LIMIT_REACHED,
            "User '%s' has exceeded the 'max_connections' resource (current value: %d): mysqlmux allows this"
                    + " user %d client connections (users.%s.max_connections); close some or raise the limit"),
    PACKET_TOO_LARGE(ErrorCode.ER_NET_PACKET_TOO_LARGE,
            "Got a packet bigger than 'max_allowed_packet' bytes: this one is at least %d bytes and mysqlmux"
                    + " accepts at most %d (client.max_packet_size, or the server's max_allowed_packet); the"
                    + " connection is closed. Send less per command or raise the limit"),
    IDLE_TIMEOUT(ErrorCode.ER_CLIENT_INTERACTION_TIMEOUT,
            "The client was disconnected by mysqlmux because of inactivity: no command for %d s"
                    + " (client.idle_timeout). Reconnect, or raise the limit"),
    IDLE_IN_TRANSACTION_TIMEOUT(ErrorCode.ER_CLIENT_INTERACTION_TIMEOUT,
            "The client was disconnected by mysqlmux: it left a transaction open and idle for %d s"
                    + " (client.idle_in_transaction_timeout); the transaction was rolled back. Commit or roll back"
                    + " promptly, or raise the limit"),
    QUEUE_TIMEOUT(ErrorCode.ER_USER_LIMIT_REACHED,
            "mysqlmux: no server connection became free within %d ms (pool %s: %s; held by sessions: %s); the"
                    + " command was not run. Retry, or raise pool.max_size or pool.queue_timeout"),
    QUEUE_TIMEOUT_HELD(ErrorCode.ER_USER_LIMIT_REACHED,
            "mysqlmux: no server connection became free within %d ms (pool %s: %s; held by sessions: %s); the"
                    + " command was not run. A session in a transaction keeps its server connection until the"
                    + " transaction ends: commit sooner (with autocommit=0 every statement opens one), see SHOW"
                    + " CLIENTS on the admin port, or raise pool.max_size (a longer pool.queue_timeout only helps if"
                    + " they end)"),
    QUEUE_FULL(ErrorCode.ER_USER_LIMIT_REACHED,
            "mysqlmux: %d commands already wait for a server connection in pool %s (pool.queue_max); the"
                    + " command was not run. Retry later, or raise pool.queue_max or pool.max_size"),
    BACKEND_UNREACHABLE(ErrorCode.ER_UNKNOWN_ERROR,
            "mysqlmux could not connect to the server at %s: %s; the command was not run. Retry when the"
                    + " server is reachable"),
    BACKEND_LOGIN_FAILED(ErrorCode.ER_UNKNOWN_ERROR,
            "mysqlmux could not log in to the server at %s as '%s': %s; the command was not run. Check that"
                    + " the server has the same user and password as the proxy's configuration"),
    UNSUPPORTED_COMMAND(ErrorCode.ER_NOT_SUPPORTED_YET,
            "mysqlmux does not support %s; the connection stays usable. Use a direct server connection for it"),
    UNKNOWN_STATEMENT(ErrorCode.ER_UNKNOWN_STMT_HANDLER,
            "Unknown prepared statement handler (%d) given to %s"),
    NO_OPEN_CURSOR(ErrorCode.ER_STMT_HAS_NO_OPEN_CURSOR,
            "The statement (%d) has no open cursor"),
    BULK_WITHOUT_TYPES(ErrorCode.ER_NOT_SUPPORTED_YET,
            "mysqlmux needs COM_STMT_BULK_EXECUTE to send parameter types (flag 128); the statement was not run"),
    TYPES_UNKNOWN(ErrorCode.ER_NOT_SUPPORTED_YET,
            "mysqlmux cannot re-send parameter types for a COM_STMT_EXECUTE of 16 MiB or more on another"
                    + " server connection; the statement was not run. Send the types with each execute"),
    LOCAL_INFILE_NOT_NEGOTIATED(ErrorCode.ER_NOT_ALLOWED_COMMAND,
            "LOAD DATA LOCAL INFILE needs the client to allow local files (CLIENT_LOCAL_FILES, e.g."
                    + " allowLoadLocalInfile=true); the statement was not run"),
    PACKETS_OUT_OF_ORDER(ErrorCode.ER_NET_PACKETS_OUT_OF_ORDER,
            "Got packets out of order: command packet with sequence id %d (expected: 0); closing the connection"),
    CLIENT_CHARSET_REFUSED(ErrorCode.ER_WRONG_VALUE_FOR_VAR,
            "Variable 'character_set_client' can't be set to the value of '%s'"),
    MALFORMED_PACKET(ErrorCode.ER_MALFORMED_PACKET,
            "Malformed communication packet: %s"),
    SERVER_CONNECTION_LOST(ErrorCode.ER_UNKNOWN_ERROR,
            "mysqlmux lost the server connection before the command was sent (%s); the command was not run."
                    + " Retry"),
    SESSION_STATE_LOST(ErrorCode.ER_NEW_ABORTING_CONNECTION,
            "mysqlmux lost the server connection that held this session's %s (%s): the server rolled back or"
                    + " dropped it, and the session cannot go on. Reconnect, and run the transaction again"),
    RESPONSE_STALLED(ErrorCode.ER_NEW_ABORTING_CONNECTION,
            "mysqlmux lost track of the server's answer: the server finished it, but mysqlmux expected more (a"
                    + " mysqlmux bug, logged with details). The connection is closed; reconnect and retry"),
    SHUTTING_DOWN(ErrorCode.ER_SERVER_SHUTDOWN,
            "mysqlmux is shutting down; reconnect to another instance"),
    SHUTDOWN_TIMEOUT_REACHED(ErrorCode.ER_SERVER_SHUTDOWN,
            "mysqlmux is shutting down and shutdown_timeout (%d ms) has passed: the open transaction was rolled"
                    + " back. Reconnect to another instance and run it again");

    private final ErrorCode code;
    private final String template;

    ProxyError(ErrorCode code, String template) {
        this.code = code;
        this.template = template;
    }

    public ErrorCode code() {
        return code;
    }

    /** The ERR packet with the template filled in. */
    public ErrPacket packet(Object... args) {
        return ErrPacket.of(code, args.length == 0 ? template : String.format(template, args));
    }
}
