package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol::HandshakeV10, the server's greeting. MariaDB clears capability bit 0 and puts its
 * extended capabilities (bits 32–63) in the last 4 of the 10 reserved bytes; clients read them only
 * when bit 0 is clear.
 *
 * @param scramble the 20-byte auth-plugin-data (both parts, without the trailing NUL)
 * @param collation the server's default collation id (low 8 bits)
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">Protocol::HandshakeV10</a>
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] scramble, Capability capabilities,
                           int collation, int statusFlags, String authPluginName) {
    public static final int PROTOCOL_VERSION = 10;
    private static final int SCRAMBLE_PART1 = 8;

    public static HandshakeV10 read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 1, "protocol_version");
        int protocol = payload.readUnsignedByte();
        if (protocol != PROTOCOL_VERSION) {
            throw new MalformedPacketException("protocol_version: " + protocol + " (expected: 10)", payload);
        }
        String version = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        MysqlBuf.requireReadable(payload, 4 + SCRAMBLE_PART1 + 1 + 2, "connection_id..capability_flags_1");
        long connectionId = payload.readUnsignedIntLE();
        byte[] part1 = new byte[SCRAMBLE_PART1];
        payload.readBytes(part1);
        payload.skipBytes(1);
        long caps = payload.readUnsignedShortLE();
        int collation = 0;
        int status = 0;
        byte[] part2 = new byte[0];
        String plugin = "";
        if (payload.isReadable()) {
            MysqlBuf.requireReadable(payload, 1 + 2 + 2 + 1 + 10, "character_set..reserved");
            collation = payload.readUnsignedByte();
            status = payload.readUnsignedShortLE();
            caps |= (long) payload.readUnsignedShortLE() << 16;
            int authDataLength = payload.readUnsignedByte();
            payload.skipBytes(6);
            long extended = payload.readUnsignedIntLE();
            if ((caps & Capability.CLIENT_MYSQL) == 0) {
                caps |= extended << 32;
            }
            if ((caps & Capability.CLIENT_SECURE_CONNECTION) != 0) {
                int length = Math.max(13, authDataLength - SCRAMBLE_PART1);
                MysqlBuf.requireReadable(payload, length, "auth-plugin-data-part-2");
                part2 = new byte[length];
                payload.readBytes(part2);
            }
            if ((caps & Capability.CLIENT_PLUGIN_AUTH) != 0 && payload.isReadable()) {
                plugin = readPluginName(payload);
            }
        }
        return new HandshakeV10(version, connectionId, joinScramble(part1, part2), Capability.of(caps),
                collation, status, plugin);
    }

    public void write(ByteBuf out) {
        long caps = capabilities.bits();
        out.writeByte(PROTOCOL_VERSION);
        MysqlBuf.writeNulString(out, serverVersion, StandardCharsets.UTF_8);
        out.writeIntLE((int) connectionId);
        out.writeBytes(scramble, 0, SCRAMBLE_PART1).writeByte(0);
        out.writeShortLE((int) caps);
        out.writeByte(collation).writeShortLE(statusFlags).writeShortLE((int) (caps >>> 16));
        out.writeByte(capabilities.has(Capability.CLIENT_PLUGIN_AUTH) ? scramble.length + 1 : 0);
        out.writeZero(6);
        out.writeIntLE(capabilities.isMariaDbExtended() ? capabilities.extendedBits() : 0);
        out.writeBytes(scramble, SCRAMBLE_PART1, scramble.length - SCRAMBLE_PART1).writeByte(0);
        if (capabilities.has(Capability.CLIENT_PLUGIN_AUTH)) {
            MysqlBuf.writeNulString(out, authPluginName, StandardCharsets.UTF_8);
        }
    }

    /** MariaDB announces itself in the version string (10.x with the {@code 5.5.5-} prefix, 11.x without). */
    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB");
    }

    /** Some servers end the plugin name without a NUL (MySQL bug #59453). */
    private static String readPluginName(ByteBuf payload) {
        int end = payload.indexOf(payload.readerIndex(), payload.writerIndex(), (byte) 0);
        int length = (end < 0 ? payload.writerIndex() : end) - payload.readerIndex();
        String name = payload.toString(payload.readerIndex(), length, StandardCharsets.UTF_8);
        payload.skipBytes(length + (end < 0 ? 0 : 1));
        return name;
    }

    /** Part 2 carries 12 scramble bytes and a terminating NUL, which is not part of the scramble. */
    private static byte[] joinScramble(byte[] part1, byte[] part2) {
        int part2Length = part2.length;
        if (part2Length > 0 && part2[part2Length - 1] == 0) {
            part2Length--;
        }
        byte[] scramble = Arrays.copyOf(part1, part1.length + part2Length);
        System.arraycopy(part2, 0, scramble, part1.length, part2Length);
        return scramble;
    }
}
