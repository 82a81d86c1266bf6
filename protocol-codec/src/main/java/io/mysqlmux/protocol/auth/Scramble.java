package io.mysqlmux.protocol.auth;

import java.security.SecureRandom;

/**
 * The 20 random bytes a server sends in its greeting. Each byte is kept in 0x01–0x7F and never '$'
 * as MySQL does: some clients read part 2 of the scramble as a C string, so a 0x00 would cut it.
 */
public final class Scramble {
    public static final int LENGTH = 20;

    private Scramble() {
    }

    public static byte[] generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        for (int i = 0; i < LENGTH; i++) {
            int b = bytes[i] & 0x7F;
            if (b == 0 || b == '$') {
                b++;
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
