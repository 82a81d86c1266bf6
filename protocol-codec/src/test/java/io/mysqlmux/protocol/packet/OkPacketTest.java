package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OkPacketTest {
    private static final Capability TRACKING = Capability.of(Capability.CLIENT_PROTOCOL_41
            | Capability.CLIENT_TRANSACTIONS | Capability.CLIENT_SESSION_TRACK | Capability.CLIENT_DEPRECATE_EOF);
    private static final Capability PLAIN = TRACKING.without(Capability.CLIENT_SESSION_TRACK);

    private static byte[] serverPayload(String vector) {
        List<byte[]> packets = HexVectors.load(vector).serverPackets();
        byte[] packet = packets.get(packets.size() - 1);
        return Arrays.copyOfRange(packet, 4, packet.length);
    }

    private static byte[] write(OkPacket ok, Capability caps) {
        ByteBuf out = Unpooled.buffer();
        ok.write(out, caps);
        return ByteBufUtil.getBytes(out);
    }

    /** The server sent this to a client WITHOUT session tracking: info is still length-encoded. */
    @Test
    void infoIsLengthEncodedEvenWithoutSessionTracking() {
        byte[] payload = serverPayload("mariadb-11.4.5/com_query/update_info_rows_matched.hex");
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), PLAIN);
        assertEquals(2, ok.affectedRows());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, ok.statusFlags());
        assertEquals("Rows matched: 2  Changed: 2  Warnings: 0", ok.infoText());
        assertArrayEquals(payload, write(ok, PLAIN));
        assertArrayEquals(payload, write(ok, TRACKING));
    }

    @Test
    void sessionStateIsDroppedWithItsFlagForClientsWithoutSessionTracking() {
        byte[] payload = serverPayload("mariadb-11.4.5/com_query/set_time_zone_session_track.hex");
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), TRACKING);
        assertNotNull(ok.sessionState());
        assertTrue(ServerStatus.sessionStateChanged(ok.statusFlags()));
        assertArrayEquals(payload, write(ok, TRACKING));
        OkPacket plain = OkPacket.read(Unpooled.wrappedBuffer(write(ok, PLAIN)), PLAIN);
        assertNull(plain.sessionState());
        assertEquals(0, plain.statusFlags() & ServerStatus.SERVER_SESSION_STATE_CHANGED);
        assertEquals(0, plain.info().length);
    }

    /** Under DEPRECATE_EOF the OK that ends a result set keeps its 0xFE header when written back. */
    @Test
    void resultSetTerminatorKeepsItsEofHeader() {
        byte[] payload = serverPayload("mariadb-11.4.5/com_stmt_execute/execute_cursor_read_only_deprecate_eof.hex");
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), PLAIN);
        assertEquals(OkPacket.EOF_HEADER, ok.header());
        assertTrue(ServerStatus.cursorExists(ok.statusFlags()));
        assertArrayEquals(payload, write(ok, PLAIN));
    }

    @Test
    void lastInsertIdAboveTwoHundredFiftyIsLengthEncoded() {
        byte[] payload = serverPayload("mariadb-11.4.5/com_query/insert_last_insert_id_300.hex");
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), PLAIN);
        assertEquals(1, ok.affectedRows());
        assertEquals(300, ok.lastInsertId());
        assertArrayEquals(payload, write(ok, PLAIN));
    }

    @Test
    void removingTheSessionStateClearsItsFlag() {
        byte[] payload = serverPayload("mariadb-11.4.5/com_query/use_app_session_track.hex");
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), TRACKING).withSessionState(null);
        assertNull(ok.sessionState());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, ok.statusFlags());
        assertArrayEquals(new byte[] {0, 0, 0, 2, 0, 0, 0}, write(ok, TRACKING));
    }
}
