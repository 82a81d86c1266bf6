package io.mysqlmux.admin.server;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What drivers and the mysql client ask of any server at connect time, answered so that they work
 * against the admin port: session variable values for their SELECT @@..., and the session SETs they
 * send, which change nothing here. Kept small and explicit: an unknown variable reads as NULL, and
 * an unknown SET target is an error (it may be a mistyped proxy setting).
 */
final class DriverVariables {
    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("auto_increment_increment", "1"),
            Map.entry("autocommit", "1"),
            Map.entry("character_set_client", "utf8mb4"),
            Map.entry("character_set_connection", "utf8mb4"),
            Map.entry("character_set_results", "utf8mb4"),
            Map.entry("character_set_server", "utf8mb4"),
            Map.entry("collation_connection", "utf8mb4_general_ci"),
            Map.entry("collation_server", "utf8mb4_general_ci"),
            Map.entry("init_connect", ""),
            Map.entry("interactive_timeout", "28800"),
            Map.entry("license", "Apache-2.0"),
            Map.entry("lower_case_table_names", "0"),
            Map.entry("max_allowed_packet", "16777216"),
            Map.entry("net_buffer_length", "16384"),
            Map.entry("net_write_timeout", "60"),
            Map.entry("performance_schema", "0"),
            Map.entry("query_cache_size", "0"),
            Map.entry("query_cache_type", "OFF"),
            Map.entry("sql_mode", ""),
            Map.entry("system_time_zone", "UTC"),
            Map.entry("time_zone", "SYSTEM"),
            Map.entry("transaction_isolation", "REPEATABLE-READ"),
            Map.entry("tx_isolation", "REPEATABLE-READ"),
            Map.entry("transaction_read_only", "0"),
            Map.entry("tx_read_only", "0"),
            Map.entry("wait_timeout", "28800"),
            Map.entry("version_comment", "mysqlmux admin port (HELP lists the statements)"),
            Map.entry("max_execution_time", "0"),
            Map.entry("sql_select_limit", "18446744073709551615"));

    /** Session variables drivers set at connect; SETs of these are accepted and ignored. */
    private static final Set<String> SETTABLE = Set.of("autocommit", "sql_mode", "time_zone", "transaction_isolation",
            "tx_isolation", "transaction_read_only", "tx_read_only", "sql_select_limit", "net_write_timeout",
            "wait_timeout", "interactive_timeout", "max_execution_time", "sql_auto_is_null", "sql_safe_updates",
            "group_concat_max_len", "foreign_key_checks", "unique_checks", "names", "character set",
            "innodb_lock_wait_timeout", "query_cache_type", "profiling", "sql_quote_show_create", "big_tables");

    private DriverVariables() {
    }

    /** {@code @@session.sql_mode} → {@code sql_mode}. */
    static String bareName(String name) {
        String bare = name.toLowerCase(Locale.ROOT);
        while (bare.startsWith("@")) {
            bare = bare.substring(1);
        }
        for (String scope : new String[] {"session.", "global.", "local."}) {
            if (bare.startsWith(scope)) {
                return bare.substring(scope.length());
            }
        }
        return bare;
    }

    /** The value a driver reads for {@code name}, or null (unknown reads as NULL). */
    static String value(String bareName, String serverVersion) {
        if (bareName.equals("version")) {
            return serverVersion;
        }
        return VALUES.get(bareName);
    }

    /** Whether a SET of {@code bareName} is a driver's session setting (accepted, nothing done). */
    static boolean isSessionSetting(String bareName, boolean scoped) {
        return scoped || SETTABLE.contains(bareName) || bareName.startsWith("character_set_")
                || bareName.startsWith("collation_") || bareName.startsWith("session_track_");
    }
}
