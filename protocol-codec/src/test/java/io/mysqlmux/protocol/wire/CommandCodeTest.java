package io.mysqlmux.protocol.wire;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandCodeTest {

    static Stream<String> commandVectors() {
        return MariaDbVectors.all().stream().filter(path -> path.startsWith("com_"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandVectors")
    void firstClientByteIsTheCommandTheHeaderNames(String path) {
        Vector vector = MariaDbVectors.load(path);
        byte[] command = vector.clientPackets().get(0);
        CommandCode code = CommandCode.of(command[4]);
        assertEquals(vector.header("command"), code.name());
        assertEquals(command[4] & 0xFF, code.code());
        assertEquals(vector.serverBytes().length > 0, code.expectsResponse(), "server answered");
    }

    @Test
    void bytesWithoutACommandAreUnknown() {
        assertEquals(CommandCode.UNKNOWN, CommandCode.of(0x21));
        assertEquals(CommandCode.UNKNOWN, CommandCode.of(0xFF));
        assertEquals(CommandCode.COM_STMT_BULK_EXECUTE, CommandCode.of(0xFA));
        assertEquals(CommandCode.COM_RESET_CONNECTION, CommandCode.of(0x1F));
    }
}
