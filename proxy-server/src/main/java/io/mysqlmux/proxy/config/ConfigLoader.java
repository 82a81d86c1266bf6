package io.mysqlmux.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Layers the configuration sources, highest priority first: command-line flags, environment
 * variables (the ones {@code mysqlmux-environment.conf} names), the {@code --config} file, and
 * {@code reference.conf}.
 */
public final class ConfigLoader {
    private static final String ENVIRONMENT_RESOURCE = "mysqlmux-environment.conf";

    private ConfigLoader() {
    }

    /**
     * @param file  the configuration file, or null
     * @param flags config paths set on the command line (e.g. {@code mysqlmux.listen})
     */
    public static ProxyConfig load(Path file, Map<String, String> flags) {
        Config config = ConfigFactory.parseMap(flags, "command-line flags")
                .withFallback(environment())
                .withFallback(file == null ? ConfigFactory.empty() : parseFile(file));
        try {
            return ProxyConfig.from(config);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The environment overrides, resolved on their own so that unset variables drop out. */
    private static Config environment() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), ENVIRONMENT_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private static Config parseFile(Path file) {
        if (!Files.isReadable(file)) {
            throw ConfigException.invalid("--config", file, "a readable HOCON file");
        }
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }
}
