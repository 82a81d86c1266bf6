package io.mysqlmux.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The typed view of the {@code mysqlmux} configuration tree (see {@code reference.conf}). Built once
 * at start-up; every value is checked here so that a bad setting stops start-up with one line
 * naming the key, the value and what is allowed.
 *
 * @param listen           where applications connect
 * @param eventLoopThreads Netty event-loop threads (0 = one per core)
 * @param backend          the server
 * @param users            users allowed to log in, by name
 * @param settings         every limit and timeout, changeable at run time
 */
public record ProxyConfig(HostAndPort listen, int eventLoopThreads, HostAndPort backend,
                          Map<String, UserConfig> users, Settings settings) {
    private static final String ROOT = "mysqlmux";

    /** Reads and validates {@code config} (already resolved, with reference.conf as fallback). */
    public static ProxyConfig from(Config config) {
        Config c = config.withFallback(ConfigFactory.defaultReference()).resolve().getConfig(ROOT);
        Map<String, UserConfig> users = users(c);
        return new ProxyConfig(
                HostAndPort.parse(ROOT + ".listen", c.getString("listen")),
                nonNegativeInt(c, "event_loop_threads"),
                HostAndPort.parse(ROOT + ".backend.address", c.getString("backend.address")),
                users,
                new Settings(c, users));
    }

    private static Map<String, UserConfig> users(Config c) {
        Map<String, UserConfig> users = new LinkedHashMap<>();
        ConfigObject configured = c.getObject("users");
        for (Map.Entry<String, ConfigValue> entry : configured.entrySet()) {
            String key = ROOT + ".users." + entry.getKey();
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                throw ConfigException.invalid(key, entry.getValue().render(), "an object { password = ... }");
            }
            Config user = ((ConfigObject) entry.getValue()).toConfig();
            users.put(entry.getKey(), new UserConfig(entry.getKey(), password(key, user), maxConnections(key, user)));
        }
        if (c.hasPath("environment_user.name")) {
            String name = c.getString("environment_user.name");
            String password = c.hasPath("environment_user.password") ? c.getString("environment_user.password") : "";
            users.put(name, new UserConfig(name, password, 0));
        }
        return Map.copyOf(users);
    }

    private static int maxConnections(String key, Config user) {
        if (!user.hasPath("max_connections")) {
            return 0;
        }
        int value = intValue(user, "max_connections", key + ".max_connections");
        if (value < 0) {
            throw ConfigException.invalid(key + ".max_connections", value, "a whole number (0 = no limit)");
        }
        return value;
    }

    private static String password(String key, Config user) {
        if (user.hasPath("password")) {
            return user.getString("password");
        }
        if (user.hasPath("password_env")) {
            String variable = user.getString("password_env");
            String value = System.getenv(variable);
            if (value == null) {
                throw ConfigException.invalid(key + ".password_env", variable,
                        "the name of a set environment variable holding the password");
            }
            return value;
        }
        throw ConfigException.invalid(key, "no password", "password = \"...\" or password_env = \"VARIABLE\"");
    }

    private static int nonNegativeInt(Config c, String path) {
        int value = intValue(c, path);
        if (value < 0) {
            throw ConfigException.invalid(ROOT + "." + path, value, "an integer of at least 0");
        }
        return value;
    }

    private static int intValue(Config c, String path) {
        return intValue(c, path, ROOT + "." + path);
    }

    private static int intValue(Config c, String path, String fullKey) {
        try {
            return c.getInt(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw ConfigException.invalid(fullKey, c.getValue(path).render(), "an integer");
        }
    }
}
