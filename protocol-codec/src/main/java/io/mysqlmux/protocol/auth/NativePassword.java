package io.mysqlmux.protocol.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code mysql_native_password}. The client sends
 * {@code SHA1(pw) XOR SHA1(scramble ‖ SHA1(SHA1(pw)))}; the server stores {@code SHA1(SHA1(pw))} and
 * can check the token without the plaintext. An empty password is an empty token.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html">Native authentication</a>
 */
public final class NativePassword {
    public static final String PLUGIN_NAME = "mysql_native_password";
    private static final int SHA1_LENGTH = 20;

    private NativePassword() {
    }

    /** The token a client sends for {@code password} against {@code scramble} (20 bytes). */
    public static byte[] token(byte[] password, byte[] scramble) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha1(password);
        byte[] stage2 = sha1(stage1);
        byte[] mask = sha1(scramble, stage2);
        return xor(stage1, mask);
    }

    /** What a server stores: {@code SHA1(SHA1(pw))}, or an empty array for an empty password. */
    public static byte[] storedHash(byte[] password) {
        return password.length == 0 ? new byte[0] : sha1(sha1(password));
    }

    /** True when {@code token} proves knowledge of the password whose {@link #storedHash} is {@code stored}. */
    public static boolean verify(byte[] stored, byte[] scramble, byte[] token) {
        if (stored.length == 0 || token.length == 0) {
            return stored.length == 0 && token.length == 0;
        }
        if (token.length != SHA1_LENGTH || stored.length != SHA1_LENGTH) {
            return false;
        }
        byte[] candidateStage1 = xor(token, sha1(scramble, stored));
        return MessageDigest.isEqual(sha1(candidateStage1), stored);
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i % b.length]);
        }
        return out;
    }
}
