package io.mysqlmux.protocol.auth;

import javax.crypto.Cipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code caching_sha2_password}, client side (the proxy logging in to a MySQL 8 server). The fast
 * path token is {@code SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) ‖ nonce)}; when the server's cache
 * misses it asks for the plaintext, which without TLS travels RSA-OAEP encrypted with the server's
 * public key after being XORed with the nonce.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">caching_sha2 exchanges</a>
 */
public final class CachingSha2Password {
    public static final String PLUGIN_NAME = "caching_sha2_password";
    /** AuthMoreData status byte: the token matched the server's cache, an OK follows. */
    public static final int FAST_AUTH_SUCCESS = 0x03;
    /** AuthMoreData status byte: the server needs the plaintext password. */
    public static final int PERFORM_FULL_AUTHENTICATION = 0x04;
    /** Client's request for the server's RSA public key. */
    public static final int REQUEST_PUBLIC_KEY = 0x02;

    private CachingSha2Password() {
    }

    public static byte[] token(byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha256(password);
        byte[] stage2 = sha256(stage1);
        byte[] mask = sha256(stage2, Arrays.copyOf(nonce, 20));
        return NativePassword.xor(stage1, mask);
    }

    /** The password as sent over TLS: plaintext plus a NUL. */
    public static byte[] clearText(byte[] password) {
        return Arrays.copyOf(password, password.length + 1);
    }

    /** The password encrypted for a plain TCP connection with the server's PEM public key. */
    public static byte[] encrypt(byte[] password, byte[] nonce, byte[] pemPublicKey) {
        byte[] masked = NativePassword.xor(clearText(password), Arrays.copyOf(nonce, 20));
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, publicKey(pemPublicKey));
            return cipher.doFinal(masked);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("server's RSA public key is unusable: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(text);
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
