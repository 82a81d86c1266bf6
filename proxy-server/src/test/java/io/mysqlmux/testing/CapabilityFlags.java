package io.mysqlmux.testing;

import java.util.StringJoiner;

/**
 * The client capability bits the vector recorder sends, with their C names so a grep matches the
 * protocol docs. Kept here rather than taken from the codec: the recorder must not depend on the
 * code whose tests its vectors feed.
 */
final class CapabilityFlags {

    static final int CLIENT_LONG_PASSWORD = 1;
    static final int CLIENT_LONG_FLAG = 1 << 2;
    static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    static final int CLIENT_LOCAL_FILES = 1 << 7;
    static final int CLIENT_PROTOCOL_41 = 1 << 9;
    static final int CLIENT_TRANSACTIONS = 1 << 13;
    static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    static final int CLIENT_MULTI_RESULTS = 1 << 17;
    static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
    static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    static final int CLIENT_CONNECT_ATTRS = 1 << 20;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    static final int CLIENT_SESSION_TRACK = 1 << 23;
    static final int CLIENT_DEPRECATE_EOF = 1 << 24;

    /** What every recorded client sends; cases add DEPRECATE_EOF, SESSION_TRACK and the like. */
    static final int BASE = CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_CONNECT_WITH_DB
            | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

    // Index = bit number; bit 0 is CLIENT_MYSQL on MariaDB, 29 is MariaDB's obsolete progress bit.
    private static final String[] NAMES = {
        "CLIENT_LONG_PASSWORD", "CLIENT_FOUND_ROWS", "CLIENT_LONG_FLAG", "CLIENT_CONNECT_WITH_DB",
        "CLIENT_NO_SCHEMA", "CLIENT_COMPRESS", "CLIENT_ODBC", "CLIENT_LOCAL_FILES",
        "CLIENT_IGNORE_SPACE", "CLIENT_PROTOCOL_41", "CLIENT_INTERACTIVE", "CLIENT_SSL",
        "CLIENT_IGNORE_SIGPIPE", "CLIENT_TRANSACTIONS", "CLIENT_RESERVED", "CLIENT_SECURE_CONNECTION",
        "CLIENT_MULTI_STATEMENTS", "CLIENT_MULTI_RESULTS", "CLIENT_PS_MULTI_RESULTS",
        "CLIENT_PLUGIN_AUTH", "CLIENT_CONNECT_ATTRS", "CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA",
        "CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS", "CLIENT_SESSION_TRACK", "CLIENT_DEPRECATE_EOF",
        "CLIENT_OPTIONAL_RESULTSET_METADATA", "CLIENT_ZSTD_COMPRESSION_ALGORITHM",
        "CLIENT_QUERY_ATTRIBUTES", "MULTI_FACTOR_AUTHENTICATION", "CLIENT_CAPABILITY_EXTENSION",
        "CLIENT_SSL_VERIFY_SERVER_CERT", "CLIENT_REMEMBER_OPTIONS",
    };

    // MariaDB's extended capabilities, bits 32..37, sent in the greeting's reserved bytes.
    private static final String[] MARIADB_NAMES = {
        "MARIADB_CLIENT_PROGRESS", "MARIADB_CLIENT_RESERVED_1", "MARIADB_CLIENT_STMT_BULK_OPERATIONS",
        "MARIADB_CLIENT_EXTENDED_METADATA", "MARIADB_CLIENT_CACHE_METADATA",
        "MARIADB_CLIENT_BULK_UNIT_RESULTS",
    };

    private CapabilityFlags() {
    }

    /** {@code 0x01a3a20f CLIENT_LONG_PASSWORD|...}, the form of a vector's capabilities header. */
    static String describe(int flags) {
        return String.format("0x%08x %s", flags, names(flags, NAMES));
    }

    /** The same for MariaDB's extended (upper 32) bits, given shifted down to bit 0. */
    static String describeMariaDb(int extendedFlags) {
        return String.format("0x%08x %s", extendedFlags, names(extendedFlags, MARIADB_NAMES));
    }

    private static String names(int flags, String[] names) {
        StringJoiner joined = new StringJoiner("|");
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1 << bit)) != 0) {
                joined.add(bit < names.length ? names[bit] : "BIT_" + bit);
            }
        }
        return joined.length() == 0 ? "(none)" : joined.toString();
    }
}
