package io.mysqlmux.proxy.config;

import com.typesafe.config.Config;

import java.time.Duration;
import java.util.Locale;

/**
 * Every tunable limit and timeout: its key below {@code mysqlmux.} (as in reference.conf), what it
 * bounds (for SHOW VARIABLES), its kind and smallest value, and whether it may change at run time.
 */
public enum Setting {
    MAX_CLIENT_CONNECTIONS("max_client_connections", Kind.COUNT, 1, false, true,
            "most client connections at once; more get ERROR 1040 (the admin port has its own limit)"),
    POOL_MAX_SIZE("pool.max_size", Kind.COUNT, 1, false, true,
            "most server connections per pool; lowering it closes connections as they come back"),
    POOL_MIN_IDLE("pool.min_idle", Kind.COUNT, 0, true, true, "idle server connections each pool keeps open"),
    POOL_QUEUE_TIMEOUT("pool.queue_timeout", Kind.DURATION, 1, false, true,
            "how long a command may wait for a server connection before it gets an error"),
    POOL_QUEUE_MAX("pool.queue_max", Kind.COUNT, 1, false, true,
            "most commands waiting at once per pool; more get an error at once"),
    POOL_IDLE_TIMEOUT("pool.idle_timeout", Kind.DURATION, 1000, true, true,
            "server connections idle this long are closed, down to min_idle (0 = never)"),
    POOL_MAX_LIFETIME("pool.max_lifetime", Kind.DURATION, 1000, true, true,
            "server connections are replaced after this (minus up to 2.5% jitter), and before the server's"
                    + " wait_timeout (0 = only wait_timeout)"),
    POOL_VALIDATION_INTERVAL("pool.validation_interval", Kind.DURATION, 1, true, true,
            "a connection idle longer than this is checked with COM_PING before it is lent (0 = every time)"),
    POOL_AFFINITY_SLACK("pool.affinity_slack", Kind.DURATION, 1, true, true,
            "a returning connection may go to a waiter on its own event loop that came this much after the"
                    + " oldest (0 = strictly the oldest)"),
    POOL_MAX_CONNECTING("pool.max_connecting", Kind.COUNT, 1, false, true,
            "server connections one pool opens at once"),
    POOL_PREPARED_STATEMENTS("pool.prepared_statements_per_connection", Kind.COUNT, 1, true, false,
            "prepared statements one server connection keeps (0 = automatic)"),
    BACKEND_MAX_CONNECTIONS("backend.max_connections", Kind.COUNT, 1, true, true,
            "most server connections across all pools (0 = four fifths of the server's max_connections)"),
    BACKEND_CONNECT_TIMEOUT("backend.connect_timeout", Kind.DURATION, 1, false, true,
            "time to connect and log in to the server"),
    CLIENT_HANDSHAKE_TIMEOUT("client.handshake_timeout", Kind.DURATION, 1, false, true,
            "time a new client connection has to log in"),
    CLIENT_IDLE_TIMEOUT("client.idle_timeout", Kind.DURATION, 1000, true, true,
            "a client connection idle this long gets ERROR 4031 and is closed (0 = never)"),
    CLIENT_IDLE_IN_TRANSACTION_TIMEOUT("client.idle_in_transaction_timeout", Kind.DURATION, 1000, true, true,
            "a client idle this long inside a transaction is rolled back and closed (0 = never)"),
    CLIENT_MAX_PACKET_SIZE("client.max_packet_size", Kind.BYTES, 1024, true, true,
            "largest command a client may send; larger gets ERROR 1153 and the connection closes"
                    + " (0 = the server's max_allowed_packet)"),
    CLIENT_MAX_PIPELINED_COMMANDS("client.max_pipelined_commands", Kind.COUNT, 1, false, true,
            "commands buffered behind a running one before the proxy stops reading the client"),
    CLIENT_LEAK_WARNING_THRESHOLD("client.leak_warning_threshold", Kind.DURATION, 1000, true, true,
            "a client holding a server connection this long is logged once, with its last statement (0 = never)"),
    CLIENT_RESPONSE_STALL_CHECK("client.response_stall_check", Kind.DURATION, 1000, true, true,
            "a response without a packet this long is checked with the server; one the server has finished is ended (0 = never)"),
    SHUTDOWN_TIMEOUT("shutdown_timeout", Kind.DURATION, 0, true, true,
            "on SIGTERM or SHUTDOWN GRACEFUL, how long open transactions may run before everything closes");

    /** How a value is written and read. */
    public enum Kind { COUNT, DURATION, BYTES }

    private final String key;
    private final Kind kind;
    private final long minimum;
    private final boolean zeroAllowed;
    private final boolean dynamic;
    private final String description;

    /**
     * @param minimum     smallest value other than 0 (milliseconds for durations)
     * @param zeroAllowed whether 0 means something (off, or automatic)
     */
    Setting(String key, Kind kind, long minimum, boolean zeroAllowed, boolean dynamic, String description) {
        this.key = key;
        this.kind = kind;
        this.minimum = minimum;
        this.zeroAllowed = zeroAllowed;
        this.dynamic = dynamic;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isDynamic() {
        return dynamic;
    }

    public String description() {
        return description;
    }

    public static Setting byKey(String key) {
        String wanted = key.toLowerCase(Locale.ROOT);
        for (Setting setting : values()) {
            if (setting.key.equals(wanted)) {
                return setting;
            }
        }
        return null;
    }

    /** Reads the value from a resolved {@code mysqlmux} config tree; stored as a long (ms for durations). */
    long read(Config config) {
        String path = key;
        try {
            long value = switch (kind) {
                case COUNT -> config.getLong(path);
                case DURATION -> config.getDuration(path).toMillis();
                case BYTES -> config.getBytes(path);
            };
            return validate(value, "mysqlmux." + key, config.getValue(path).render());
        } catch (com.typesafe.config.ConfigException e) {
            throw ConfigException.invalid("mysqlmux." + key, config.hasPath(path) ? config.getValue(path).render()
                    : "missing", expected());
        }
    }

    /** Parses a value written as in the config file ({@code 40}, {@code 10s}, {@code 64M}). */
    long parse(String text) {
        String value = text.trim();
        try {
            long parsed = switch (kind) {
                case COUNT -> Long.parseLong(value);
                case DURATION -> com.typesafe.config.ConfigFactory.parseString("v = " + quote(value))
                        .getDuration("v").toMillis();
                case BYTES -> com.typesafe.config.ConfigFactory.parseString("v = " + quote(value)).getBytes("v");
            };
            return validate(parsed, key, text);
        } catch (NumberFormatException | com.typesafe.config.ConfigException e) {
            throw ConfigException.invalid(key, text, expected());
        }
    }

    private long validate(long value, String name, String text) {
        if (value < minimum && !(value == 0 && zeroAllowed)) {
            throw ConfigException.invalid(name, text, expected());
        }
        return value;
    }

    private String expected() {
        String zero = zeroAllowed ? " (or 0)" : "";
        return switch (kind) {
            case COUNT -> "a whole number of at least " + minimum + zero;
            case DURATION -> "a duration of at least " + formatDuration(minimum) + " such as 500ms, 10s or 5m" + zero;
            case BYTES -> "a size of at least " + minimum + " bytes such as 16M or 64M" + zero;
        };
    }

    /** The value as text, as the config file writes it. */
    String format(long value) {
        return switch (kind) {
            case COUNT -> Long.toString(value);
            case DURATION -> formatDuration(value);
            case BYTES -> value % (1024 * 1024) == 0 ? value / (1024 * 1024) + "M" : Long.toString(value);
        };
    }

    private static String formatDuration(long millis) {
        if (millis == 0) {
            return "0";
        }
        Duration d = Duration.ofMillis(millis);
        if (millis % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (millis % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (millis % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return millis + "ms";
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
