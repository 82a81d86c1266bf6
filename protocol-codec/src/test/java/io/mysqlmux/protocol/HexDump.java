package io.mysqlmux.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code hexdump -C} text layout, both ways: {@link #format} writes exactly what
 * {@code hexdump -C} prints, {@link #parse} reads it back. Vectors keep their bytes in this layout
 * so a reviewer can read them and check a file with the real tool ({@code xxd -r} does not
 * understand the {@code *} lines; {@link #parse} does).
 *
 * <pre>
 * 00000000  0a 31 31 2e 34 2e 35 2d  4d 61 72 69 61 44 42 00  |.11.4.5-MariaDB.|
 * *                                 (the previous 16-byte line repeats up to the next offset)
 * 00000040  78 78                                             |xx|
 * 00000042                          (final offset = total length)
 * </pre>
 */
public final class HexDump {

    private static final int LINE = 16;
    // "xx " per byte plus the extra space between the two groups of eight.
    private static final int HEX_COLUMN_WIDTH = LINE * 3 + 1;

    private HexDump() {
    }

    /** {@code hexdump -C} of {@code bytes}, one line per element; no lines for an empty array. */
    public static List<String> format(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        boolean inRepeat = false;
        for (int offset = 0; offset < bytes.length; offset += LINE) {
            int end = Math.min(offset + LINE, bytes.length);
            if (offset > 0 && end - offset == LINE && repeatsPreviousLine(bytes, offset)) {
                if (!inRepeat) {
                    lines.add("*");
                    inRepeat = true;
                }
                continue;
            }
            inRepeat = false;
            lines.add(dataLine(bytes, offset, end));
        }
        if (bytes.length > 0) {
            lines.add(offsetText(bytes.length));
        }
        return lines;
    }

    private static boolean repeatsPreviousLine(byte[] bytes, int offset) {
        return Arrays.equals(bytes, offset - LINE, offset, bytes, offset, offset + LINE);
    }

    private static String dataLine(byte[] bytes, int from, int to) {
        StringBuilder hex = new StringBuilder(HEX_COLUMN_WIDTH);
        StringBuilder ascii = new StringBuilder(LINE);
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            hex.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16)).append(' ');
            if (i - from == 7) {
                hex.append(' ');
            }
            ascii.append(printable(b));
        }
        while (hex.length() < HEX_COLUMN_WIDTH) {
            hex.append(' ');
        }
        return offsetText(from) + "  " + hex + " |" + ascii + "|";
    }

    private static char printable(int b) {
        return b >= 0x20 && b < 0x7F ? (char) b : '.';
    }

    private static String offsetText(int offset) {
        return String.format("%08x", offset);
    }

    /**
     * Bytes of a {@code hexdump -C} listing. Checks what a hand edit could break: offsets that do not
     * follow on, an ASCII column that disagrees with the bytes, a missing final offset line.
     *
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static byte[] parse(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] previous = null;
        boolean repeatPending = false;
        boolean ended = lines.isEmpty();
        for (String line : lines) {
            if (ended) {
                throw new IllegalArgumentException("text after the final offset line: " + line);
            }
            if (line.equals("*")) {
                if (previous == null || previous.length != LINE || repeatPending) {
                    throw new IllegalArgumentException("'*' must follow a full 16-byte line");
                }
                repeatPending = true;
                continue;
            }
            int offset = parseOffset(line);
            if (repeatPending) {
                repeatUntil(out, previous, offset, line);
                repeatPending = false;
            } else if (offset != out.size()) {
                throw new IllegalArgumentException("offset " + line.substring(0, 8) + " does not follow "
                        + offsetText(out.size()) + " and no '*' line stands before it");
            }
            if (line.length() == 8) {
                ended = true;
                continue;
            }
            previous = parseDataLine(line);
            out.write(previous, 0, previous.length);
        }
        if (!ended) {
            throw new IllegalArgumentException("missing final offset line after " + offsetText(out.size()));
        }
        return out.toByteArray();
    }

    private static void repeatUntil(ByteArrayOutputStream out, byte[] line, int offset, String text) {
        int gap = offset - out.size();
        if (gap <= 0 || gap % LINE != 0) {
            throw new IllegalArgumentException("'*' followed by offset that is not a whole number of "
                    + "lines ahead: " + text);
        }
        for (int i = 0; i < gap / LINE; i++) {
            out.write(line, 0, LINE);
        }
    }

    private static int parseOffset(String line) {
        if (line.length() < 8) {
            throw new IllegalArgumentException("not a hexdump -C line: " + line);
        }
        try {
            return Integer.parseInt(line.substring(0, 8), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a hexdump -C line: " + line, e);
        }
    }

    private static byte[] parseDataLine(String line) {
        int bar = line.indexOf('|');
        if (!line.startsWith("  ", 8) || bar < 0 || !line.endsWith("|") || bar == line.length() - 1) {
            throw new IllegalArgumentException("not a hexdump -C data line: " + line);
        }
        String[] hex = line.substring(10, bar).trim().split(" +");
        if (hex.length == 0 || hex.length > LINE) {
            throw new IllegalArgumentException("expected 1 to 16 bytes: " + line);
        }
        byte[] bytes = new byte[hex.length];
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < hex.length; i++) {
            if (hex[i].length() != 2) {
                throw new IllegalArgumentException("bad byte '" + hex[i] + "' in: " + line);
            }
            bytes[i] = (byte) Integer.parseInt(hex[i], 16);
            ascii.append(printable(bytes[i] & 0xFF));
        }
        if (!line.substring(bar + 1, line.length() - 1).equals(ascii.toString())) {
            throw new IllegalArgumentException("ASCII column does not match the bytes: " + line);
        }
        return bytes;
    }
}
