package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.auth.CachingSha2Password;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.command.ComChangeUser;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * The client side of the connection phase as a state machine without I/O: the proxy logging in to a
 * server (and the load generator logging in to anything). Speaks {@code mysql_native_password} and
 * {@code caching_sha2_password}, including the full-authentication round (plaintext over TLS, or
 * RSA with the server's public key on plain TCP).
 */
public final class ClientLogin {

    /** What to log in as and what to ask for. */
    public record Settings(String user, byte[] password, String database, int collation, Capability wanted,
                           Map<String, String> connectAttributes, boolean secureTransport) {
    }

    private enum State { AWAITING_GREETING, AUTHENTICATING, AWAITING_PUBLIC_KEY, SUCCEEDED, FAILED }

    private static final int MAX_PACKET_SIZE = 0x40000000;
    private static final int AUTH_MORE_DATA = 0x01;
    private static final int AUTH_NEXT_FACTOR = 0x02;

    private final Settings settings;
    private State state = State.AWAITING_GREETING;
    private HandshakeV10 greeting;
    private Capability negotiated;
    private String plugin;
    private byte[] nonce;
    private OkPacket ok;

    public ClientLogin(Settings settings) {
        this.settings = settings;
    }

    /**
     * COM_CHANGE_USER on a connection that already logged in (the proxy uses it to reset a server
     * connection to no default schema): returns the command to send with sequence id 0; the server's
     * answers (AuthSwitchRequest, OK, ERR) then go to {@link #onPacket} as after a first login.
     *
     * @param greeting   the connection's original greeting (its scramble signs the first token)
     * @param negotiated the capabilities of the connection
     */
    public static ClientLogin changeUser(Settings settings, HandshakeV10 greeting, Capability negotiated) {
        ClientLogin login = new ClientLogin(settings);
        login.greeting = greeting;
        login.negotiated = negotiated;
        login.plugin = NativePassword.PLUGIN_NAME;
        login.nonce = greeting.scramble();
        login.state = State.AUTHENTICATING;
        return login;
    }

    /** The COM_CHANGE_USER payload for a login made with {@link #changeUser}. */
    public ComChangeUser changeUserRequest() {
        return new ComChangeUser(settings.user(), token(), settings.database(), settings.collation(), plugin,
                settings.connectAttributes());
    }

    /** The server's greeting, once received. */
    public HandshakeV10 greeting() {
        return greeting;
    }

    /** The capabilities both sides agreed on. */
    public Capability negotiated() {
        return negotiated;
    }

    /** The server's final OK, once the login succeeded. */
    public OkPacket ok() {
        return ok;
    }

    /** Feeds the greeting (payload borrowed); answers with the HandshakeResponse41. */
    public LoginStep onGreeting(ByteBuf payload, int sequenceId) {
        expect(State.AWAITING_GREETING);
        if (payload.getUnsignedByte(payload.readerIndex()) == ErrPacket.HEADER) {
            state = State.FAILED;
            return new LoginStep.Failed(ErrPacket.read(payload), sequenceId);
        }
        greeting = HandshakeV10.read(payload);
        negotiated = settings.wanted().and(greeting.capabilities());
        if (settings.database() == null) {
            negotiated = negotiated.without(Capability.CLIENT_CONNECT_WITH_DB);
        }
        plugin = greeting.authPluginName().isEmpty() ? NativePassword.PLUGIN_NAME : greeting.authPluginName();
        nonce = greeting.scramble();
        if (!plugin.equals(CachingSha2Password.PLUGIN_NAME)) {
            plugin = NativePassword.PLUGIN_NAME;
        }
        state = State.AUTHENTICATING;
        HandshakeResponse41 response = new HandshakeResponse41(negotiated, MAX_PACKET_SIZE, settings.collation(),
                settings.user(), token(), settings.database(), plugin, settings.connectAttributes());
        return new LoginStep.Send(response::write, sequenceId + 1);
    }

    /** Feeds a server packet after the response (payload borrowed). */
    public LoginStep onPacket(ByteBuf payload, int sequenceId) {
        if (state != State.AUTHENTICATING && state != State.AWAITING_PUBLIC_KEY) {
            throw new IllegalStateException("login is " + state + "; no server packet expected");
        }
        int header = payload.getUnsignedByte(payload.readerIndex());
        if (header == OkPacket.HEADER) {
            ok = OkPacket.read(payload, negotiated);
            state = State.SUCCEEDED;
            return new LoginStep.Done(sequenceId);
        }
        if (header == ErrPacket.HEADER) {
            state = State.FAILED;
            return new LoginStep.Failed(ErrPacket.read(payload), sequenceId);
        }
        if (header == AuthSwitchRequest.HEADER) {
            AuthSwitchRequest request = AuthSwitchRequest.read(payload);
            plugin = request.pluginName();
            nonce = request.scramble();
            if (!plugin.equals(NativePassword.PLUGIN_NAME) && !plugin.equals(CachingSha2Password.PLUGIN_NAME)) {
                return unsupported("the server asked for auth plugin '" + plugin + "', which mysqlmux cannot use;"
                        + " give the pool user mysql_native_password or caching_sha2_password", sequenceId);
            }
            return send(token(), sequenceId);
        }
        if (header == AUTH_MORE_DATA) {
            payload.skipBytes(1);
            return onMoreData(MysqlBuf.readRestBytes(payload), sequenceId);
        }
        if (header == AUTH_NEXT_FACTOR) {
            return unsupported("the server asked for multi-factor authentication, which mysqlmux does not support",
                    sequenceId);
        }
        return unsupported("unexpected packet 0x" + Integer.toHexString(header) + " during authentication",
                sequenceId);
    }

    private LoginStep onMoreData(byte[] data, int sequenceId) {
        if (state == State.AWAITING_PUBLIC_KEY) {
            state = State.AUTHENTICATING;
            return send(CachingSha2Password.encrypt(settings.password(), nonce, data), sequenceId);
        }
        if (!plugin.equals(CachingSha2Password.PLUGIN_NAME) || data.length == 0) {
            return unsupported("unexpected AuthMoreData for plugin " + plugin, sequenceId);
        }
        if (data[0] == CachingSha2Password.FAST_AUTH_SUCCESS) {
            return new LoginStep.Await();
        }
        if (data[0] != CachingSha2Password.PERFORM_FULL_AUTHENTICATION) {
            return unsupported("unknown caching_sha2_password status " + data[0], sequenceId);
        }
        if (settings.secureTransport()) {
            return send(CachingSha2Password.clearText(settings.password()), sequenceId);
        }
        state = State.AWAITING_PUBLIC_KEY;
        return send(new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY}, sequenceId);
    }

    private byte[] token() {
        return plugin.equals(CachingSha2Password.PLUGIN_NAME)
                ? CachingSha2Password.token(settings.password(), nonce)
                : NativePassword.token(settings.password(), nonce);
    }

    private static LoginStep send(byte[] bytes, int sequenceId) {
        return new LoginStep.Send(out -> out.writeBytes(bytes), sequenceId + 1);
    }

    private LoginStep unsupported(String message, int sequenceId) {
        state = State.FAILED;
        return new LoginStep.Failed(ErrPacket.of(ErrorCode.ER_NOT_SUPPORTED_AUTH_MODE, message), sequenceId);
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("login is " + state + ", expected " + expected);
        }
    }
}
