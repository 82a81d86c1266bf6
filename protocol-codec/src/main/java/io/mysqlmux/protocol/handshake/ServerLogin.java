package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

/**
 * The server side of the connection phase as a state machine without I/O: the proxy (and the admin
 * port) send {@link #greeting()}, then feed each client packet to {@link #onPacket} and carry out the
 * returned {@link LoginStep}. Clients are verified with {@code mysql_native_password}; a client that
 * answered with another plugin (e.g. {@code caching_sha2_password}, the MySQL 8 client default) is
 * asked to switch, reusing the greeting's scramble.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html">Connection phase</a>
 */
public final class ServerLogin {

    /** Where the password hashes come from (the proxy's configured users). */
    @FunctionalInterface
    public interface Credentials {
        /** {@code SHA1(SHA1(password))} ({@link NativePassword#storedHash}) for a known user, else null. */
        byte[] nativePasswordHash(String user);
    }

    public enum State { AWAITING_RESPONSE, AWAITING_SWITCH_RESPONSE, SUCCEEDED, FAILED }

    private static final byte[] NO_USER_HASH = new byte[20];

    private final HandshakeV10 greeting;
    private final Credentials credentials;
    private final String clientHost;
    private State state = State.AWAITING_RESPONSE;
    private HandshakeResponse41 response;
    private LoginResult result;

    /**
     * @param greeting   the greeting this login sends (its scramble and capabilities are used)
     * @param clientHost the client's address, for the "Access denied for user 'u'@'host'" message
     */
    public ServerLogin(HandshakeV10 greeting, Credentials credentials, String clientHost) {
        this.greeting = greeting;
        this.credentials = credentials;
        this.clientHost = clientHost;
    }

    public HandshakeV10 greeting() {
        return greeting;
    }

    public State state() {
        return state;
    }

    /** Who logged in and what was negotiated; set once the step was {@link LoginStep.Done}. */
    public LoginResult result() {
        return result;
    }

    /** The user name the client gave, or null before its response arrived. */
    public String user() {
        return response == null ? null : response.user();
    }

    /** Feeds one client packet (payload borrowed, not released) with its sequence id. */
    public LoginStep onPacket(ByteBuf payload, int sequenceId) {
        switch (state) {
            case AWAITING_RESPONSE:
                return onResponse(payload, sequenceId);
            case AWAITING_SWITCH_RESPONSE:
                return verify(MysqlBuf.readRestBytes(payload), sequenceId);
            default:
                throw new IllegalStateException("login already " + state);
        }
    }

    private LoginStep onResponse(ByteBuf payload, int sequenceId) {
        if (HandshakeResponse41.isSslRequest(payload)) {
            return fail(ErrorCode.ER_HANDSHAKE_ERROR, "TLS was requested but mysqlmux does not offer it on this port;"
                    + " connect without TLS (e.g. sslMode=DISABLED or --skip-ssl)", sequenceId);
        }
        try {
            response = HandshakeResponse41.read(payload);
        } catch (MalformedPacketException e) {
            return fail(ErrorCode.ER_HANDSHAKE_ERROR, "Bad handshake: " + e.getMessage(), sequenceId);
        }
        String plugin = response.authPluginName();
        if (plugin.isEmpty() || plugin.equals(NativePassword.PLUGIN_NAME)) {
            return verify(response.authResponse(), sequenceId);
        }
        state = State.AWAITING_SWITCH_RESPONSE;
        byte[] data = java.util.Arrays.copyOf(greeting.scramble(), greeting.scramble().length + 1);
        return new LoginStep.Send(new AuthSwitchRequest(NativePassword.PLUGIN_NAME, data)::write, sequenceId + 1);
    }

    private LoginStep verify(byte[] token, int sequenceId) {
        byte[] stored = credentials.nativePasswordHash(response.user());
        // Unknown users go through the same work as known ones, so timing does not reveal names.
        boolean ok = NativePassword.verify(stored == null ? NO_USER_HASH : stored, greeting.scramble(), token)
                && stored != null;
        if (!ok) {
            String using = token.length == 0 ? "NO" : "YES";
            return fail(ErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + response.user() + "'@'"
                    + clientHost + "' (using password: " + using + ")", sequenceId);
        }
        state = State.SUCCEEDED;
        result = new LoginResult(response.user(), emptyToNull(response.database()),
                response.capabilities().and(greeting.capabilities()), response.capabilities(),
                response.collation(), response.maxPacketSize(), response.connectAttributes());
        return new LoginStep.Done(sequenceId + 1);
    }

    private LoginStep fail(ErrorCode code, String message, int sequenceId) {
        state = State.FAILED;
        return new LoginStep.Failed(ErrPacket.of(code, message), sequenceId + 1);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
