package io.mysqlmux.protocol.auth;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrambleTest {

    @Test
    void everyByteIsPrintableSevenBitAndNeverNulOrDollar() {
        SecureRandom random = new SecureRandom();
        for (int run = 0; run < 2000; run++) {
            byte[] scramble = Scramble.generate(random);
            assertEquals(Scramble.LENGTH, scramble.length);
            for (byte b : scramble) {
                assertTrue(b >= 0x01 && b <= 0x7F && b != '$', "byte 0x" + Integer.toHexString(b & 0xFF));
            }
        }
    }

    /** MySQL's rule: keep 7 bits, then move 0x00 and '$' up by one. */
    @Test
    void bytesThatWouldBeNulOrDollarMoveUpByOne() {
        byte[] fromRandom = {0x00, (byte) 0x80, 0x24, (byte) 0xA4, (byte) 0xFF, 0x7F, 0x41, 0x01,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] expected = {0x01, 0x01, 0x25, 0x25, 0x7F, 0x7F, 0x41, 0x01,
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(expected, Scramble.generate(fixed(fromRandom)));
    }

    @Test
    void eachScrambleIsFresh() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int run = 0; run < 100; run++) {
            seen.add(Arrays.toString(Scramble.generate(random)));
        }
        assertEquals(100, seen.size());
    }

    /** A SecureRandom that hands out the given bytes (a stand-in for the JDK's source, not for our code). */
    private static SecureRandom fixed(byte[] bytes) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, out.length);
            }
        };
    }
}
