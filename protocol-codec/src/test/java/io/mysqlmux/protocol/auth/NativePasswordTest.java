package io.mysqlmux.protocol.auth;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.handshake.HandshakeResponse41;
import io.mysqlmux.protocol.handshake.HandshakeV10;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativePasswordTest {
    /** The scramble of the captured greeting (handshake/greeting.hex). */
    private static final byte[] SCRAMBLE = "'zW\"AbH#q4K`~{o<ztY>".getBytes(StandardCharsets.US_ASCII);

    /** MySQL's PASSWORD('password') is the well-known *2470C0C0...; the hash is SHA1(SHA1(pw)). */
    @Test
    void storedHashIsTheMysqlUserHash() {
        assertEquals("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19",
                HexFormat.of().withUpperCase().formatHex(NativePassword.storedHash(bytes("password"))));
    }

    @Test
    void tokenIsSha1OfPasswordXorSha1OfScrambleAndStoredHash() throws Exception {
        byte[] password = bytes("app-secret");
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] stage1 = sha1.digest(password);
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(SCRAMBLE);
        byte[] mask = sha1.digest(stage2);
        byte[] expected = new byte[20];
        for (int i = 0; i < 20; i++) {
            expected[i] = (byte) (stage1[i] ^ mask[i]);
        }
        assertArrayEquals(expected, NativePassword.token(password, SCRAMBLE));
    }

    /** Tokens real clients computed against real greetings: Connector/J and the recorder. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "connector_j_login.hex, app-secret",
        "response_connect_attrs_ok.hex, app-secret",
        "response_session_track_ok.hex, app-secret",
        "wrong_password_err_1045.hex, wrong-secret",
    })
    void capturedTokensAreOursAndVerify(String file, String password) {
        Vector vector = MariaDbVectors.load("handshake/" + file);
        byte[] scramble = HandshakeV10.read(MariaDbVectors.payload(vector.serverPackets().get(0))).scramble();
        byte[] token = HandshakeResponse41.read(MariaDbVectors.payload(vector.clientPackets().get(0))).authResponse();
        assertArrayEquals(token, NativePassword.token(bytes(password), scramble));
        assertTrue(NativePassword.verify(NativePassword.storedHash(bytes(password)), scramble, token));
        assertEquals(password.equals("app-secret"),
                NativePassword.verify(NativePassword.storedHash(bytes("app-secret")), scramble, token));
    }

    @Test
    void verifyRejectsAnyChangedBitOtherScrambleOrLength() {
        byte[] stored = NativePassword.storedHash(bytes("app-secret"));
        byte[] token = NativePassword.token(bytes("app-secret"), SCRAMBLE);
        for (int bit = 0; bit < 160; bit++) {
            byte[] flipped = token.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(NativePassword.verify(stored, SCRAMBLE, flipped), "bit " + bit);
        }
        byte[] otherScramble = SCRAMBLE.clone();
        otherScramble[19] ^= 1;
        assertFalse(NativePassword.verify(stored, otherScramble, token));
        assertFalse(NativePassword.verify(stored, SCRAMBLE, Arrays.copyOf(token, 19)));
        assertFalse(NativePassword.verify(stored, SCRAMBLE, Arrays.copyOf(token, 21)));
    }

    @Test
    void emptyPasswordIsAnEmptyTokenAndMatchesOnlyAnEmptyHash() {
        assertEquals(0, NativePassword.token(new byte[0], SCRAMBLE).length);
        assertEquals(0, NativePassword.storedHash(new byte[0]).length);
        assertTrue(NativePassword.verify(new byte[0], SCRAMBLE, new byte[0]));
        assertFalse(NativePassword.verify(new byte[0], SCRAMBLE, NativePassword.token(bytes("x"), SCRAMBLE)));
        assertFalse(NativePassword.verify(NativePassword.storedHash(bytes("x")), SCRAMBLE, new byte[0]));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
