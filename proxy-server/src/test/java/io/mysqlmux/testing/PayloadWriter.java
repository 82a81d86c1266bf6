package io.mysqlmux.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds a packet payload from the protocol's data types (little-endian integers, lenenc, NUL strings). */
final class PayloadWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PayloadWriter int1(int value) {
        out.write(value);
        return this;
    }

    PayloadWriter int2(int value) {
        return intN(value, 2);
    }

    PayloadWriter int4(long value) {
        return intN(value, 4);
    }

    PayloadWriter int8(long value) {
        return intN(value, 8);
    }

    private PayloadWriter intN(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    PayloadWriter lenenc(long value) {
        if (value < 0xFB) {
            return int1((int) value);
        } else if (value < 1 << 16) {
            return int1(0xFC).intN(value, 2);
        } else if (value < 1 << 24) {
            return int1(0xFD).intN(value, 3);
        }
        return int1(0xFE).intN(value, 8);
    }

    PayloadWriter bytes(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    PayloadWriter zeros(int count) {
        return bytes(new byte[count]);
    }

    /** UTF-8 text without terminator (str&lt;EOF&gt;). */
    PayloadWriter text(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    PayloadWriter nulText(String value) {
        return text(value).int1(0);
    }

    PayloadWriter lenencBytes(byte[] value) {
        return lenenc(value.length).bytes(value);
    }

    PayloadWriter lenencText(String value) {
        return lenencBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
