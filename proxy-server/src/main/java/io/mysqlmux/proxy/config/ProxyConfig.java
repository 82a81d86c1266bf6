package io.mysqlmux.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param admin            the admin port and the HTTP endpoint
 */
public record ProxyConfig(HostAndPort listen, int eventLoopThreads, HostAndPort backend,
                          Map<String, UserConfig> users, Settings settings, AdminConfig admin) {
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
                new Settings(c, users),
                admin(c));
    }

    private static AdminConfig admin(Config c) {
        String password = c.hasPath("admin.password_env") ? System.getenv(c.getString("admin.password_env"))
                : c.getString("admin.password");
        boolean enabled = password != null && !password.isEmpty();
        String http = c.getString("http.listen").trim();
        int maxConnections = intValue(c, "admin.max_connections");
        if (maxConnections < 1) {
            throw ConfigException.invalid(ROOT + ".admin.max_connections", maxConnections, "at least 1");
        }
        return new AdminConfig(
                enabled ? HostAndPort.parse(ROOT + ".admin.listen", c.getString("admin.listen")) : null,
                c.getString("admin.user"), enabled ? password : "", maxConnections,
                http.isEmpty() ? null : HostAndPort.parse(ROOT + ".http.listen", http));
    }

    /**
     * What differs from {@code next} that only a restart applies (addresses, threads, users and
     * passwords, the admin port), as {@code name: old -> new}.
     */
    public List<String> restartNeededFor(ProxyConfig next) {
        List<String> changes = new ArrayList<>();
        compare(changes, "listen", listen, next.listen);
        compare(changes, "event_loop_threads", eventLoopThreads, next.eventLoopThreads);
        compare(changes, "backend.address", backend, next.backend);
        compare(changes, "users", users.keySet(), next.users.keySet());
        for (Map.Entry<String, UserConfig> user : users.entrySet()) {
            UserConfig other = next.users.get(user.getKey());
            if (other != null && !other.password().equals(user.getValue().password())) {
                changes.add("users." + user.getKey() + ".password: changed");
            }
        }
        compare(changes, "admin", admin, next.admin);
        return changes;
    }

    private static void compare(List<String> changes, String name, Object now, Object next) {
        if (!now.equals(next)) {
            changes.add(name + ": " + now + " -> " + next);
        }
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
