package io.mysqlmux.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the protocol's data types from a payload, front to back. */
final class PayloadReader {

    private final byte[] payload;
    private int position;

    PayloadReader(byte[] payload) {
        this.payload = payload;
    }

    int int1() {
        return payload[position++] & 0xFF;
    }

    int int2() {
        return (int) intN(2);
    }

    long int4() {
        return intN(4);
    }

    private long intN(int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (payload[position++] & 0xFF) << (8 * i);
        }
        return value;
    }

    long lenenc() {
        int first = int1();
        return switch (first) {
            case 0xFC -> intN(2);
            case 0xFD -> intN(3);
            case 0xFE -> intN(8);
            case 0xFB, 0xFF -> throw new IllegalStateException("0x" + Integer.toHexString(first)
                    + " is not a length-encoded integer");
            default -> first;
        };
    }

    byte[] bytes(int count) {
        byte[] value = Arrays.copyOfRange(payload, position, position + count);
        position += count;
        return value;
    }

    void skip(int count) {
        position += count;
    }

    String nulText() {
        int end = position;
        while (payload[end] != 0) {
            end++;
        }
        String value = new String(payload, position, end - position, StandardCharsets.UTF_8);
        position = end + 1;
        return value;
    }

    int remaining() {
        return payload.length - position;
    }
}
