package io.mysqlmux.protocol.wire;

import io.mysqlmux.protocol.MalformedPacketException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's basic data types on a {@link ByteBuf}: length-encoded integers and strings,
 * NUL-terminated strings. Relative reads advance the reader index; {@code get*} variants peek at an
 * absolute index and allocate nothing (the hot path uses those).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html">Basic data types</a>
 */
public final class MysqlBuf {
    /** First byte of a lenenc value that stands for SQL NULL inside text rows. */
    public static final int LENENC_NULL = 0xFB;

    private MysqlBuf() {
    }

    /** Reads an int&lt;lenenc&gt;. 0xFB (NULL) and 0xFF are not numbers here and are rejected. */
    public static long readLenEncInt(ByteBuf buf) {
        requireReadable(buf, 1, "int<lenenc>");
        int first = buf.readUnsignedByte();
        switch (first) {
            case 0xFC:
                requireReadable(buf, 2, "int<lenenc> (2 bytes)");
                return buf.readUnsignedShortLE();
            case 0xFD:
                requireReadable(buf, 3, "int<lenenc> (3 bytes)");
                return buf.readUnsignedMediumLE();
            case 0xFE:
                requireReadable(buf, 8, "int<lenenc> (8 bytes)");
                return buf.readLongLE();
            case 0xFB:
            case 0xFF:
                throw new MalformedPacketException(
                        "int<lenenc>: 0x" + Integer.toHexString(first) + " (expected: a number, not NULL/ERR marker)", buf);
            default:
                return first;
        }
    }

    /**
     * Peeks the int&lt;lenenc&gt; at {@code index} without moving the reader index. The caller has made
     * sure the bytes exist ({@link #lenEncIntSize} tells how many).
     */
    public static long getLenEncInt(ByteBuf buf, int index) {
        int first = buf.getUnsignedByte(index);
        switch (first) {
            case 0xFC:
                return buf.getUnsignedShortLE(index + 1);
            case 0xFD:
                return buf.getUnsignedMediumLE(index + 1);
            case 0xFE:
                return buf.getLongLE(index + 1);
            default:
                return first;
        }
    }

    /**
     * Total size in bytes (marker included) of the int&lt;lenenc&gt; that starts with {@code firstByte}.
     * (Named apart from {@link #lenEncIntSize(long)} so an int value cannot pick the wrong one.)
     */
    public static int sizeOfLenEncInt(int firstByte) {
        switch (firstByte & 0xFF) {
            case 0xFC:
                return 3;
            case 0xFD:
                return 4;
            case 0xFE:
                return 9;
            default:
                return 1;
        }
    }

    /** Number of bytes {@link #writeLenEncInt} uses for {@code value}. */
    public static int lenEncIntSize(long value) {
        if (value >= 0 && value < 251) {
            return 1;
        }
        if (value >= 0 && value < (1 << 16)) {
            return 3;
        }
        if (value >= 0 && value < (1 << 24)) {
            return 4;
        }
        return 9;
    }

    public static void writeLenEncInt(ByteBuf buf, long value) {
        if (value >= 0 && value < 251) {
            buf.writeByte((int) value);
        } else if (value >= 0 && value < (1 << 16)) {
            buf.writeByte(0xFC).writeShortLE((int) value);
        } else if (value >= 0 && value < (1 << 24)) {
            buf.writeByte(0xFD).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    public static byte[] readLenEncBytes(ByteBuf buf) {
        long length = readLenEncInt(buf);
        requireReadable(buf, length, "str<lenenc>");
        byte[] bytes = new byte[(int) length];
        buf.readBytes(bytes);
        return bytes;
    }

    public static String readLenEncString(ByteBuf buf, Charset charset) {
        long length = readLenEncInt(buf);
        requireReadable(buf, length, "str<lenenc>");
        String value = buf.toString(buf.readerIndex(), (int) length, charset);
        buf.skipBytes((int) length);
        return value;
    }

    public static void writeLenEncBytes(ByteBuf buf, byte[] bytes) {
        writeLenEncInt(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    public static void writeLenEncString(ByteBuf buf, String value, Charset charset) {
        writeLenEncBytes(buf, value.getBytes(charset));
    }

    /** Reads bytes up to (not including) the next 0x00 and skips the 0x00. */
    public static byte[] readNulBytes(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new MalformedPacketException("str<NUL>: no terminating 0x00 (expected: one before the end)", buf);
        }
        byte[] bytes = new byte[end - buf.readerIndex()];
        buf.readBytes(bytes);
        buf.skipBytes(1);
        return bytes;
    }

    public static String readNulString(ByteBuf buf, Charset charset) {
        return new String(readNulBytes(buf), charset);
    }

    public static void writeNulString(ByteBuf buf, String value, Charset charset) {
        buf.writeBytes(value.getBytes(charset)).writeByte(0);
    }

    /** The rest of the payload (str&lt;EOF&gt;). */
    public static String readRestString(ByteBuf buf, Charset charset) {
        String value = buf.toString(charset);
        buf.skipBytes(buf.readableBytes());
        return value;
    }

    public static byte[] readRestBytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    public static String readUtf8(ByteBuf buf, int length) {
        requireReadable(buf, length, "str<" + length + ">");
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return value;
    }

    public static void requireReadable(ByteBuf buf, long needed, String field) {
        if (needed > buf.readableBytes()) {
            throw MalformedPacketException.missing(field, (int) Math.min(needed, Integer.MAX_VALUE), buf);
        }
    }
}
