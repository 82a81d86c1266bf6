package io.mysqlmux.protocol.packet;

/**
 * Server error codes with their SQLSTATE, for the errors the proxy sends itself and those it must
 * recognise from a server. Drivers and pools discard a connection on SQLSTATE class 08, so codes
 * for "not supported" or "try again" deliberately use others.
 *
 * @see <a href="https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html">Server error reference</a>
 */
public enum ErrorCode {
    ER_CON_COUNT_ERROR(1040, "08004"),
    ER_HANDSHAKE_ERROR(1043, "08S01"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000"),
    ER_ACCESS_DENIED_ERROR(1045, "28000"),
    ER_UNKNOWN_COM_ERROR(1047, "08S01"),
    ER_BAD_DB_ERROR(1049, "42000"),
    ER_SERVER_SHUTDOWN(1053, "08S01"),
    ER_NO_SUCH_THREAD(1094, "HY000"),
    ER_KILL_DENIED_ERROR(1095, "HY000"),
    ER_PARSE_ERROR(1064, "42000"),
    ER_UNKNOWN_ERROR(1105, "HY000"),
    ER_NOT_ALLOWED_COMMAND(1148, "42000"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01"),
    ER_NET_READ_ERROR(1158, "08S01"),
    ER_NET_READ_INTERRUPTED(1159, "08S01"),
    ER_NET_PACKETS_OUT_OF_ORDER(1156, "08S01"),
    ER_NEW_ABORTING_CONNECTION(1184, "08S01"),
    ER_UNKNOWN_SYSTEM_VARIABLE(1193, "HY000"),
    ER_TOO_MANY_USER_CONNECTIONS(1203, "42000"),
    ER_LOCK_WAIT_TIMEOUT(1205, "HY000"),
    ER_USER_LIMIT_REACHED(1226, "42000"),
    ER_SPECIFIC_ACCESS_DENIED_ERROR(1227, "42000"),
    ER_WRONG_VALUE_FOR_VAR(1231, "42000"),
    ER_WRONG_TYPE_FOR_VAR(1232, "42000"),
    ER_NOT_SUPPORTED_YET(1235, "42000"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000"),
    ER_NOT_SUPPORTED_AUTH_MODE(1251, "08004"),
    ER_UNSUPPORTED_PS(1295, "HY000"),
    ER_QUERY_INTERRUPTED(1317, "70100"),
    ER_STMT_HAS_NO_OPEN_CURSOR(1421, "HY000"),
    ER_MAX_PREPARED_STMT_COUNT_REACHED(1461, "42000"),
    ER_NEED_REPREPARE(1615, "HY000"),
    ER_MALFORMED_PACKET(1835, "HY000"),
    /** MariaDB numbering; MySQL uses 3169 ER_SESSION_WAS_KILLED. */
    ER_CONNECTION_KILLED(1927, "70100"),
    ER_CLIENT_INTERACTION_TIMEOUT(4031, "HY000");

    private final int code;
    private final String sqlState;

    ErrorCode(int code, String sqlState) {
        this.code = code;
        this.sqlState = sqlState;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }
}
