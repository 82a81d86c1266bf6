package io.mysqlmux.proxy.config;

import java.nio.charset.StandardCharsets;

/**
 * A user that may log in to the proxy; the pool logs in to the server with the same name and
 * password. The password is kept because server logins (caching_sha2 full authentication) need it.
 *
 * @param maxConnections client connections the user may have at once (0 = no limit of its own)
 */
public record UserConfig(String name, String password, int maxConnections) {

    public byte[] passwordBytes() {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=<hidden>, maxConnections=" + maxConnections + "]";
    }
}
