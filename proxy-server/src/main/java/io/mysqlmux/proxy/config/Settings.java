package io.mysqlmux.proxy.config;

import com.typesafe.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

/**
 * The live values of every {@link Setting} and of each user's connection limit: read where they are
 * used, changed at run time through {@link #set} (the admin port's SET), validated, with the old and
 * new value logged. Safe from any thread.
 */
public final class Settings {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);
    private static final String USER_PREFIX = "users.";
    private static final String USER_SUFFIX = ".max_connections";

    /** A setting as shown by SHOW VARIABLES. */
    public record Entry(String name, String value, boolean dynamic, String description) {
    }

    private final AtomicLongArray values = new AtomicLongArray(Setting.values().length);
    private final Map<String, Integer> userLimits = new ConcurrentHashMap<>();
    private final List<BiConsumer<Setting, Long>> listeners = new CopyOnWriteArrayList<>();

    /** @param config the resolved {@code mysqlmux} tree */
    Settings(Config config, Map<String, UserConfig> users) {
        for (Setting setting : Setting.values()) {
            values.set(setting.ordinal(), setting.read(config));
        }
        users.values().forEach(user -> userLimits.put(user.name(), user.maxConnections()));
    }

    public long value(Setting setting) {
        return values.get(setting.ordinal());
    }

    public int intValue(Setting setting) {
        return (int) Math.min(Integer.MAX_VALUE, value(setting));
    }

    public Duration duration(Setting setting) {
        return Duration.ofMillis(value(setting));
    }

    /** The user's client connection limit, 0 for none. */
    public int userMaxConnections(String user) {
        return userLimits.getOrDefault(user, 0);
    }

    /** Runs {@code listener} after every change (e.g. pools shrinking to a lower max_size). */
    public void onChange(BiConsumer<Setting, Long> listener) {
        listeners.add(listener);
    }

    /**
     * Changes a setting ({@code pool.max_size}, {@code users.app.max_connections}, ...) from text.
     *
     * @return the old and new value as {@code old -> new}
     * @throws ConfigException when the name is unknown, the setting is fixed, or the value not allowed
     */
    public String set(String name, String text) {
        if (name.startsWith(USER_PREFIX) && name.endsWith(USER_SUFFIX)) {
            return setUserLimit(name.substring(USER_PREFIX.length(), name.length() - USER_SUFFIX.length()), text);
        }
        Setting setting = Setting.byKey(name);
        if (setting == null) {
            throw new ConfigException("unknown setting '" + name + "'; SHOW VARIABLES lists them");
        }
        if (!setting.isDynamic()) {
            throw new ConfigException(setting.key() + " cannot change at run time; change the configuration"
                    + " file and restart");
        }
        long value = setting.parse(text);
        long old = values.getAndSet(setting.ordinal(), value);
        String change = setting.format(old) + " -> " + setting.format(value);
        log.info("setting {} changed: {}", setting.key(), change);
        listeners.forEach(listener -> listener.accept(setting, value));
        return change;
    }

    private String setUserLimit(String user, String text) {
        if (!userLimits.containsKey(user)) {
            throw new ConfigException("unknown user '" + user + "'; SHOW USERS lists them");
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(USER_PREFIX + user + USER_SUFFIX, text, "a whole number (0 = no limit)");
        }
        if (value < 0) {
            throw ConfigException.invalid(USER_PREFIX + user + USER_SUFFIX, text, "a whole number (0 = no limit)");
        }
        int old = userLimits.put(user, value);
        String change = old + " -> " + value;
        log.info("setting {}{}{} changed: {}", USER_PREFIX, user, USER_SUFFIX, change);
        return change;
    }

    /** What RELOAD did: settings changed live, and those that only a restart applies. */
    public record Reload(List<String> applied, List<String> needRestart) {
    }

    /**
     * Takes every value of a freshly read configuration that differs from the live one: dynamic
     * settings and user limits change now (logged like SET), fixed ones are reported.
     */
    public Reload reloadFrom(Settings fresh) {
        List<String> applied = new ArrayList<>();
        List<String> needRestart = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            long now = value(setting);
            long next = fresh.value(setting);
            if (now == next) {
                continue;
            }
            if (setting.isDynamic()) {
                applied.add(setting.key() + ": " + set(setting.key(), setting.format(next)));
            } else {
                needRestart.add(setting.key() + ": " + setting.format(now) + " -> " + setting.format(next));
            }
        }
        fresh.userLimits.forEach((user, limit) -> {
            Integer now = userLimits.get(user);
            if (now != null && !now.equals(limit)) {
                applied.add(USER_PREFIX + user + USER_SUFFIX + ": " + setUserLimit(user, Integer.toString(limit)));
            }
        });
        return new Reload(applied, needRestart);
    }

    /** Every setting with its current value, in reference.conf order, then per-user limits. */
    public List<Entry> describe() {
        List<Entry> entries = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            entries.add(new Entry(setting.key(), setting.format(value(setting)), setting.isDynamic(),
                    setting.description()));
        }
        userLimits.forEach((user, limit) -> entries.add(new Entry(USER_PREFIX + user + USER_SUFFIX,
                Integer.toString(limit), true, "client connections the user may have (0 = no limit); more get ERROR 1226")));
        return entries;
    }
}
