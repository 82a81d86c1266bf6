package io.mysqlmux.proxy.config;

import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.handshake.ServerLogin;

import java.util.HashMap;
import java.util.Map;

/** The users of the configuration, with the password hashes client logins are checked against. */
public final class ConfiguredUsers implements ServerLogin.Credentials {
    private final Map<String, UserConfig> users;
    private final Map<String, byte[]> nativeHashes = new HashMap<>();

    public ConfiguredUsers(Map<String, UserConfig> users) {
        this.users = Map.copyOf(users);
        users.forEach((name, user) -> nativeHashes.put(name, NativePassword.storedHash(user.passwordBytes())));
    }

    @Override
    public byte[] nativePasswordHash(String user) {
        return nativeHashes.get(user);
    }

    public UserConfig get(String name) {
        return users.get(name);
    }
}
