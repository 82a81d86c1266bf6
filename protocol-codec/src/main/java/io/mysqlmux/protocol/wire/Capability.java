package io.mysqlmux.protocol.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of capability flags: the 32 classic bits plus MariaDB's extended bits 32–63
 * (sent in the handshake's reserved area when bit 0 is clear). Constants keep the C names so a grep
 * finds the documentation.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capability flags</a>
 * @see <a href="https://mariadb.com/kb/en/connection/#capabilities">MariaDB capabilities</a>
 */
public final class Capability {
    /** MySQL: legacy, always set. MariaDB: the server clears it to announce extended capabilities. */
    public static final long CLIENT_LONG_PASSWORD = 1L;
    public static final long CLIENT_MYSQL = CLIENT_LONG_PASSWORD;
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    public static final long CLIENT_CAPABILITY_EXTENSION = 1L << 29;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long CLIENT_REMEMBER_OPTIONS = 1L << 31;

    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;
    public static final long MARIADB_CLIENT_BULK_UNIT_RESULTS = 1L << 37;

    private static final String[] NAMES = {
        "CLIENT_LONG_PASSWORD", "CLIENT_FOUND_ROWS", "CLIENT_LONG_FLAG", "CLIENT_CONNECT_WITH_DB",
        "CLIENT_NO_SCHEMA", "CLIENT_COMPRESS", "CLIENT_ODBC", "CLIENT_LOCAL_FILES", "CLIENT_IGNORE_SPACE",
        "CLIENT_PROTOCOL_41", "CLIENT_INTERACTIVE", "CLIENT_SSL", "CLIENT_IGNORE_SIGPIPE",
        "CLIENT_TRANSACTIONS", "CLIENT_RESERVED", "CLIENT_SECURE_CONNECTION", "CLIENT_MULTI_STATEMENTS",
        "CLIENT_MULTI_RESULTS", "CLIENT_PS_MULTI_RESULTS", "CLIENT_PLUGIN_AUTH", "CLIENT_CONNECT_ATTRS",
        "CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA", "CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS",
        "CLIENT_SESSION_TRACK", "CLIENT_DEPRECATE_EOF", "CLIENT_OPTIONAL_RESULTSET_METADATA",
        "CLIENT_ZSTD_COMPRESSION_ALGORITHM", "CLIENT_QUERY_ATTRIBUTES", "MULTI_FACTOR_AUTHENTICATION",
        "CLIENT_CAPABILITY_EXTENSION", "CLIENT_SSL_VERIFY_SERVER_CERT", "CLIENT_REMEMBER_OPTIONS",
        "MARIADB_CLIENT_PROGRESS", "MARIADB_CLIENT_COM_MULTI", "MARIADB_CLIENT_STMT_BULK_OPERATIONS",
        "MARIADB_CLIENT_EXTENDED_METADATA", "MARIADB_CLIENT_CACHE_METADATA", "MARIADB_CLIENT_BULK_UNIT_RESULTS",
    };

    private final long bits;

    private Capability(long bits) {
        this.bits = bits;
    }

    public static Capability of(long bits) {
        return new Capability(bits);
    }

    public long bits() {
        return bits;
    }

    /** The low 32 bits, as sent in the classic fields. */
    public int lowBits() {
        return (int) bits;
    }

    /** MariaDB's extended bits 32–63, shifted down. */
    public int extendedBits() {
        return (int) (bits >>> 32);
    }

    public boolean has(long flag) {
        return (bits & flag) == flag;
    }

    public Capability with(long flags) {
        return new Capability(bits | flags);
    }

    public Capability without(long flags) {
        return new Capability(bits & ~flags);
    }

    /** What two peers both support: the effective set after a handshake. */
    public Capability and(Capability other) {
        return new Capability(bits & other.bits);
    }

    /** The MariaDB flavour announces itself by clearing bit 0 (then bits 32–63 are meaningful). */
    public boolean isMariaDbExtended() {
        return !has(CLIENT_MYSQL);
    }

    public boolean isDeprecateEof() {
        return has(CLIENT_DEPRECATE_EOF);
    }

    public boolean isSessionTrack() {
        return has(CLIENT_SESSION_TRACK);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability && ((Capability) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** {@code 0x1a3a20f CLIENT_LONG_PASSWORD|CLIENT_FOUND_ROWS|...}: for logs and vector headers. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((bits & (1L << bit)) != 0) {
                names.add(NAMES[bit]);
            }
        }
        return "0x" + Long.toHexString(bits) + " " + String.join("|", names);
    }
}
