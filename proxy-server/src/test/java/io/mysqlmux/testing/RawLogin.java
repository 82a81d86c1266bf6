package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.CLIENT_CONNECT_ATTRS;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_CONNECT_WITH_DB;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_PLUGIN_AUTH;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of the connection phase for {@link VectorRecorder}: greeting, HandshakeResponse41,
 * AuthSwitchRequest rounds, and COM_CHANGE_USER, each with mysql_native_password.
 * See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 */
final class RawLogin {

    static final String NATIVE_PASSWORD = "mysql_native_password";
    static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";
    static final int COLLATION_UTF8MB4_GENERAL_CI = 45;
    // Connector/J sends 16 MiB - 1; informational for the server.
    private static final int MAX_PACKET_SIZE = 0xFFFFFF;
    private static final int MAX_AUTH_ROUNDS = 3;
    private static final byte COM_CHANGE_USER = 0x11;

    /** The parts of the server's HandshakeV10 the client needs. */
    record Greeting(String serverVersion, long connectionId, byte[] scramble, int capabilities,
            int mariaDbCapabilities, int collation, int status, String authPlugin) {

        static Greeting read(byte[] payload) {
            PayloadReader in = new PayloadReader(payload);
            if (in.int1() != 0x0A) {
                throw new IllegalStateException("not a HandshakeV10 (first byte 0x"
                        + Integer.toHexString(payload[0] & 0xFF) + ")");
            }
            String version = in.nulText();
            long connectionId = in.int4();
            byte[] scramble1 = in.bytes(8);
            in.skip(1);
            int capabilities = in.int2();
            int collation = in.int1();
            int status = in.int2();
            capabilities |= in.int2() << 16;
            int authDataLength = in.int1();
            in.skip(6);
            int mariaDbCapabilities = (int) in.int4(); // zero unless bit 0 (CLIENT_MYSQL) is clear
            byte[] scramble2 = in.bytes(Math.max(13, authDataLength - 8));
            byte[] scramble = Arrays.copyOf(scramble1, 20);
            System.arraycopy(scramble2, 0, scramble, 8, 12);
            return new Greeting(version, connectionId, scramble, capabilities, mariaDbCapabilities,
                    collation, status, in.nulText());
        }
    }

    /** What the client puts in its HandshakeResponse41 (or COM_CHANGE_USER). */
    record Request(String user, String password, String database, int capabilities, String authPlugin,
            Map<String, String> attributes) {

        static Request of(EmbeddedMariaDb.Account account, String database, int capabilities) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("_client_name", "mysqlmux-vector-recorder");
            attributes.put("_client_version", "1");
            return new Request(account.user(), account.password(), database, capabilities,
                    NATIVE_PASSWORD, attributes);
        }

        Request withAuthPlugin(String plugin) {
            return new Request(user, password, database, capabilities, plugin, attributes);
        }

        Request withPassword(String newPassword) {
            return new Request(user, newPassword, database, capabilities, authPlugin, attributes);
        }
    }

    private RawLogin() {
    }

    static Greeting readGreeting(RawMysqlClient client) throws IOException {
        return Greeting.read(client.readPacket());
    }

    /** Sends the HandshakeResponse41, answers AuthSwitchRequests, returns the final OK or ERR payload. */
    static byte[] login(RawMysqlClient client, Greeting greeting, Request request) throws IOException {
        client.writePacket(handshakeResponse(greeting, request));
        return finishAuthentication(client, request.password());
    }

    /** COM_CHANGE_USER as {@code request}, authenticated against the connection's greeting scramble. */
    static byte[] changeUser(RawMysqlClient client, Greeting greeting, Request request) throws IOException {
        PayloadWriter out = new PayloadWriter().int1(COM_CHANGE_USER).nulText(request.user());
        byte[] token = authResponse(request.authPlugin(), request.password(), greeting.scramble());
        out.int1(token.length).bytes(token); // always 1-byte length here, whatever LENENC says
        out.nulText(request.database()).int2(COLLATION_UTF8MB4_GENERAL_CI);
        out.nulText(request.authPlugin());
        if ((request.capabilities() & CLIENT_CONNECT_ATTRS) != 0) {
            out.lenencBytes(attributes(request.attributes()));
        }
        client.startCommand();
        client.writePacket(out.toBytes());
        return finishAuthentication(client, request.password());
    }

    static byte[] handshakeResponse(Greeting greeting, Request request) {
        int capabilities = request.capabilities();
        PayloadWriter out = new PayloadWriter()
                .int4(capabilities & 0xFFFFFFFFL)
                .int4(MAX_PACKET_SIZE)
                .int1(COLLATION_UTF8MB4_GENERAL_CI)
                .zeros(23) // bit 0 set: a MySQL-style client, no MariaDB extended capabilities
                .nulText(request.user());
        byte[] token = authResponse(request.authPlugin(), request.password(), greeting.scramble());
        if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            out.lenencBytes(token);
        } else {
            out.int1(token.length).bytes(token);
        }
        if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0) {
            out.nulText(request.database());
        }
        if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
            out.nulText(request.authPlugin());
        }
        if ((capabilities & CLIENT_CONNECT_ATTRS) != 0) {
            out.lenencBytes(attributes(request.attributes()));
        }
        return out.toBytes();
    }

    private static byte[] attributes(Map<String, String> attributes) {
        PayloadWriter out = new PayloadWriter();
        attributes.forEach((key, value) -> out.lenencText(key).lenencText(value));
        return out.toBytes();
    }

    // Answers AuthSwitchRequest (0xFE, plugin name, scramble) rounds until OK or ERR arrives.
    private static byte[] finishAuthentication(RawMysqlClient client, String password) throws IOException {
        for (int round = 0; round < MAX_AUTH_ROUNDS; round++) {
            byte[] reply = client.readPacket();
            int first = reply[0] & 0xFF;
            if (first == 0x00 || first == 0xFF) {
                return reply;
            }
            if (first != 0xFE) {
                throw new IllegalStateException("unexpected auth packet 0x" + Integer.toHexString(first));
            }
            PayloadReader in = new PayloadReader(reply);
            in.skip(1);
            String plugin = in.nulText();
            byte[] scramble = Arrays.copyOf(in.bytes(in.remaining()), 20); // drop the trailing NUL
            client.writePacket(authResponse(plugin, password, scramble));
        }
        throw new IllegalStateException("more than " + MAX_AUTH_ROUNDS + " authentication rounds");
    }

    static byte[] authResponse(String plugin, String password, byte[] scramble) {
        return switch (plugin) {
            case NATIVE_PASSWORD -> nativePasswordToken(password, scramble);
            case CACHING_SHA2_PASSWORD -> cachingSha2Token(password, scramble);
            default -> throw new IllegalArgumentException("no client side for plugin " + plugin);
        };
    }

    /** SHA1(pw) XOR SHA1(scramble ‖ SHA1(SHA1(pw))); empty for an empty password. */
    static byte[] nativePasswordToken(String password, byte[] scramble) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        byte[] stage1 = digest("SHA-1", password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = digest("SHA-1", stage1);
        return xor(stage1, digest("SHA-1", concat(scramble, stage2)));
    }

    /** SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) ‖ scramble), the fast-path token. */
    static byte[] cachingSha2Token(String password, byte[] scramble) {
        byte[] stage1 = digest("SHA-256", password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = digest("SHA-256", stage1);
        return xor(stage1, digest("SHA-256", concat(stage2, scramble)));
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }
}
