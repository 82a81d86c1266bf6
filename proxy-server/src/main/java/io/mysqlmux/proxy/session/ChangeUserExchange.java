package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.auth.Scramble;
import io.mysqlmux.protocol.command.ComChangeUser;
import io.mysqlmux.protocol.handshake.AuthSwitchRequest;
import io.mysqlmux.proxy.config.ConfiguredUsers;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A client's COM_CHANGE_USER, checked like a login: a mysql_native_password token signed with the
 * connection's greeting scramble is accepted at once; otherwise (another plugin, or a client that
 * signs with a fresh scramble) the proxy asks for a native token with an AuthSwitchRequest, as
 * MariaDB itself does.
 */
final class ChangeUserExchange {
    private final ComChangeUser request;
    private final ConfiguredUsers users;
    private byte[] switchScramble;

    ChangeUserExchange(ComChangeUser request, ConfiguredUsers users) {
        this.request = request;
        this.users = users;
    }

    ComChangeUser request() {
        return request;
    }

    /** True when the request's own token already proves the password (against the greeting scramble). */
    boolean acceptedAtOnce(byte[] greetingScramble) {
        String plugin = request.authPluginName();
        return (plugin.isEmpty() || plugin.equals(NativePassword.PLUGIN_NAME))
                && verify(greetingScramble, request.authResponse());
    }

    /** The AuthSwitchRequest to send when {@link #acceptedAtOnce} was false. */
    AuthSwitchRequest switchRequest(SecureRandom random) {
        switchScramble = Scramble.generate(random);
        return new AuthSwitchRequest(NativePassword.PLUGIN_NAME,
                Arrays.copyOf(switchScramble, switchScramble.length + 1));
    }

    /** Checks the client's answer to the switch request. */
    boolean acceptsSwitchResponse(byte[] token) {
        return verify(switchScramble, token);
    }

    private boolean verify(byte[] scramble, byte[] token) {
        byte[] stored = users.nativePasswordHash(request.user());
        return stored != null && NativePassword.verify(stored, scramble, token);
    }
}
