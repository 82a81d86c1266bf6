package io.mysqlmux.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The expected texts below are what {@code hexdump -C} (util-linux 2.38) prints for the same bytes. */
class HexDumpTest {

    private static final List<String> HELLO = List.of(
            "00000000  68 65 6c 6c 6f 0a                                 |hello.|",
            "00000006");

    private static final List<String> REPEATED_MIDDLE = List.of(
            "00000000  07 00 00 02 00 00 00 02  00 00 00 78 78 78 78 78  |...........xxxxx|",
            "00000010  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
            "*",
            "00000030  78 78 78 78 78 78 78 78  78 78 78 7c 65 6e 64 7c  |xxxxxxxxxxx|end||",
            "00000040");

    private static final List<String> REPEATED_TO_THE_END = List.of(
            "00000000  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
            "*",
            "00000020");

    @Test
    void shortInputPadsTheHexColumnAndEndsWithTheLength() {
        byte[] bytes = "hello\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HELLO, HexDump.format(bytes));
        assertArrayEquals(bytes, HexDump.parse(HELLO));
    }

    @Test
    void starLineRepeatsThePreviousLineUpToTheNextOffset() {
        byte[] bytes = repeatedMiddle();
        assertEquals(REPEATED_MIDDLE, HexDump.format(bytes));
        assertArrayEquals(bytes, HexDump.parse(REPEATED_MIDDLE));
    }

    @Test
    void starLineBeforeTheFinalOffsetRepeatsUpToTheTotalLength() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 'x');
        assertEquals(REPEATED_TO_THE_END, HexDump.format(bytes));
        assertArrayEquals(bytes, HexDump.parse(REPEATED_TO_THE_END));
    }

    @Test
    void sixteenMebibytesOfOneByteStayAFewLines() {
        byte[] bytes = new byte[0x1000004];
        Arrays.fill(bytes, 4, bytes.length, (byte) 'x');
        List<String> lines = HexDump.format(bytes);
        assertEquals(List.of(
                "00000000  00 00 00 00 78 78 78 78  78 78 78 78 78 78 78 78  |....xxxxxxxxxxxx|",
                "00000010  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
                "*",
                "01000000  78 78 78 78                                       |xxxx|",
                "01000004"), lines);
        assertArrayEquals(bytes, HexDump.parse(lines));
    }

    @Test
    void emptyInputHasNoLines() {
        assertEquals(List.of(), HexDump.format(new byte[0]));
        assertArrayEquals(new byte[0], HexDump.parse(List.of()));
    }

    @Test
    void randomBytesOfEveryLengthRoundTrip() {
        Random random = new Random(42);
        for (int length = 1; length < 100; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            // runs of equal lines so that '*' shows up at varying places
            Arrays.fill(bytes, length / 3, 2 * length / 3, (byte) 0);
            assertArrayEquals(bytes, HexDump.parse(HexDump.format(bytes)), "length " + length);
        }
    }

    @Test
    void offsetGapWithoutStarIsRejected() {
        List<String> gap = List.of(REPEATED_MIDDLE.get(0), REPEATED_MIDDLE.get(3), "00000040");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HexDump.parse(gap));
        assertTrue(e.getMessage().contains("does not follow"), e.getMessage());
    }

    @Test
    void asciiColumnThatDisagreesWithTheBytesIsRejected() {
        List<String> edited = List.of(
                "00000000  68 65 6c 6c 6f 0a                                 |jello.|", "00000006");
        assertThrows(IllegalArgumentException.class, () -> HexDump.parse(edited));
    }

    @Test
    void missingFinalOffsetLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HexDump.parse(HELLO.subList(0, 1)));
    }

    @Test
    void finalOffsetThatDisagreesWithTheBytesIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> HexDump.parse(List.of(HELLO.get(0), "00000007")));
    }

    private static byte[] repeatedMiddle() {
        byte[] head = {7, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0};
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 'x');
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy("|end|".getBytes(StandardCharsets.US_ASCII), 0, bytes, 59, 5);
        return bytes;
    }
}
