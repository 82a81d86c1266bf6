package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ComQueryTest {

    static Stream<String> queries() {
        return MariaDbVectors.in("com_query").stream();
    }

    /** Each capture names its statement in a header; the COM_QUERY the client sent carries exactly that. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void capturedQueryIsTheStatementOfItsHeader(String file) {
        Vector vector = MariaDbVectors.load(file);
        byte[] payload = commandPayload(vector);
        ComQuery query = ComQuery.read(Unpooled.wrappedBuffer(payload), StandardCharsets.UTF_8);
        assertEquals(vector.header("statement"), query.sql());

        ByteBuf out = Unpooled.buffer();
        query.write(out);
        assertArrayEquals(payload, ByteBufUtil.getBytes(out));
    }

    @Test
    void readConsumesThePayload() {
        ByteBuf payload = Unpooled.wrappedBuffer(commandPayload(MariaDbVectors.load("com_query/create_table_ok.hex")));
        ComQuery.read(payload, StandardCharsets.UTF_8);
        assertEquals(0, payload.readableBytes());
    }

    @Test
    void statementIsWrittenAsUtf8AfterTheCommandByte() {
        ByteBuf out = Unpooled.buffer();
        new ComQuery("SELECT 'é'").write(out);
        assertArrayEquals(new byte[] {0x03, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xC3, (byte) 0xA9, '\''},
                ByteBufUtil.getBytes(out));
        assertEquals("SELECT 'é'", ComQuery.read(out, StandardCharsets.UTF_8).sql());
    }

    static byte[] commandPayload(Vector vector) {
        byte[] packet = vector.clientPackets().get(0);
        return Arrays.copyOfRange(packet, 4, packet.length);
    }
}
