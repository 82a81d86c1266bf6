package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ComSetOptionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "multi_statements_on_classic_eof.hex,    true",
        "multi_statements_on_deprecate_eof.hex,  true",
        "multi_statements_off_classic_eof.hex,   false",
        "multi_statements_off_deprecate_eof.hex, false",
    })
    void capturedOptionReadsAndWritesBackTheSameBytes(String file, boolean multiStatements) {
        byte[] payload = ComQueryTest.commandPayload(MariaDbVectors.load("com_set_option/" + file));
        ComSetOption option = ComSetOption.read(Unpooled.wrappedBuffer(payload));
        assertEquals(multiStatements, option.multiStatements());

        ByteBuf out = Unpooled.buffer();
        option.write(out);
        assertArrayEquals(payload, ByteBufUtil.getBytes(out));
    }

    @Test
    void optionOtherThanZeroOrOneIsMalformed() {
        byte[] payload = ComQueryTest.commandPayload(MariaDbVectors.load("com_set_option/multi_statements_off_classic_eof.hex"));
        payload[1] = 2;
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> ComSetOption.read(Unpooled.wrappedBuffer(payload)));
        assertEquals("COM_SET_OPTION option: 2 (expected: 0 or 1)", e.getMessage());
    }

    @Test
    void optionCutShortIsMalformed() {
        byte[] payload = ComQueryTest.commandPayload(MariaDbVectors.load("com_set_option/multi_statements_on_classic_eof.hex"));
        assertThrows(MalformedPacketException.class,
                () -> ComSetOption.read(Unpooled.wrappedBuffer(Arrays.copyOf(payload, 2))));
    }
}
