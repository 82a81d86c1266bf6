package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ComInitDbTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "init_db_ok.hex, app",
        "init_db_unknown_db_err_1049.hex, no_such_db",
    })
    void capturedInitDbReadsItsSchemaAndWritesBackTheSameBytes(String file, String schema) {
        byte[] payload = ComQueryTest.commandPayload(MariaDbVectors.load("com_init_db/" + file));
        ComInitDb initDb = ComInitDb.read(Unpooled.wrappedBuffer(payload));
        assertEquals(schema, initDb.schema());

        ByteBuf out = Unpooled.buffer();
        initDb.write(out);
        assertArrayEquals(payload, ByteBufUtil.getBytes(out));
    }
}
