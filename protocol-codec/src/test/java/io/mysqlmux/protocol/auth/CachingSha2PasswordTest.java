package io.mysqlmux.protocol.auth;

import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.handshake.AuthSwitchRequest;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CachingSha2PasswordTest {
    /** The scramble of a captured AuthSwitchRequest: 20 bytes plus the NUL the plugin data ends with. */
    private static final byte[] PLUGIN_DATA = AuthSwitchRequest.read(MariaDbVectors.payload(MariaDbVectors
            .load("handshake/auth_switch_caching_sha2_to_native.hex").serverPackets().get(1))).pluginData();
    private static final byte[] NONCE = Arrays.copyOf(PLUGIN_DATA, 20);

    @Test
    void fastPathTokenIsSha256OfPasswordXorSha256OfDoubleHashAndNonce() throws Exception {
        byte[] password = bytes("app-secret");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] stage1 = sha256.digest(password);
        byte[] stage2 = sha256.digest(stage1);
        sha256.update(stage2);
        byte[] mask = sha256.digest(NONCE);
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = (byte) (stage1[i] ^ mask[i]);
        }
        assertArrayEquals(expected, CachingSha2Password.token(password, NONCE));
        assertArrayEquals(expected, CachingSha2Password.token(password, PLUGIN_DATA), "the trailing NUL is not nonce");
    }

    /** What a server holding SHA256(SHA256(pw)) checks (mysql-protocol.md §2.6). */
    @Test
    void serverCanCheckTheTokenWithTheDoubleHashOnly() throws Exception {
        byte[] token = CachingSha2Password.token(bytes("app-secret"), NONCE);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] doubleHash = sha256.digest(sha256.digest(bytes("app-secret")));
        sha256.update(doubleHash);
        byte[] mask = sha256.digest(NONCE);
        byte[] candidate = new byte[32];
        for (int i = 0; i < 32; i++) {
            candidate[i] = (byte) (token[i] ^ mask[i]);
        }
        assertArrayEquals(doubleHash, sha256.digest(candidate));
    }

    @Test
    void emptyPasswordIsAnEmptyResponse() {
        assertEquals(0, CachingSha2Password.token(new byte[0], NONCE).length);
    }

    @Test
    void clearTextIsThePasswordAndANul() {
        assertArrayEquals(bytes("app-secret\0"), CachingSha2Password.clearText(bytes("app-secret")));
    }

    @Test
    void encryptedPasswordDecryptsToPasswordAndNulXorNonce() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        byte[] password = bytes("a password longer than twenty bytes");

        byte[] encrypted = CachingSha2Password.encrypt(password, PLUGIN_DATA, bytes(pem));
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] expected = Arrays.copyOf(password, password.length + 1);
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= NONCE[i % NONCE.length];
        }
        assertArrayEquals(expected, cipher.doFinal(encrypted));
    }

    @Test
    void unusableKeyIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> CachingSha2Password.encrypt(bytes("pw"), NONCE, bytes("-----BEGIN PUBLIC KEY-----\nAAAA\n")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
