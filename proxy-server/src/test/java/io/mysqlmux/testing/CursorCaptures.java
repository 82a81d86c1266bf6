package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.CLIENT_MULTI_STATEMENTS;

import io.mysqlmux.testing.ResponseReader.Shape;
import java.io.IOException;

/**
 * Stored programs that send a result set while a cursor of their own is open: MariaDB then sets
 * SERVER_STATUS_CURSOR_EXISTS on that result set's metadata EOF and terminator, beside
 * SERVER_MORE_RESULTS_EXISTS, and rows follow as usual. As a compound statement (COM_QUERY), as a
 * CALL (COM_QUERY) and as a prepared CALL (COM_STMT_EXECUTE without a cursor flag), in both EOF layouts.
 */
final class CursorCaptures extends Captures {

    static final String COMPOUND = "BEGIN NOT ATOMIC DECLARE c CURSOR FOR SELECT id FROM items; "
            + "OPEN c; SELECT 1 AS a; CLOSE c; END";
    private static final String CALL = "CALL cursor_select()";
    private static final byte COM_STMT_PREPARE = 0x16;
    private static final byte COM_STMT_EXECUTE = 0x17;

    CursorCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException {
        for (int capabilities : BOTH_EOF_MODES) {
            String suffix = eofSuffix(capabilities);
            try (RawSession session = open(capabilities | CLIENT_MULTI_STATEMENTS)) {
                recordQuery(session, "com_query/compound_cursor_select" + suffix + ".hex", COMPOUND);
                save("com_query/call_cursor_select" + suffix + ".hex", headers(session, "COM_QUERY")
                        .setup(VectorRecorder.CURSOR_SELECT_PROCEDURE).statement(CALL), session.query(CALL));
                long id = prepare(session);
                byte[] execute = new PayloadWriter().int1(COM_STMT_EXECUTE).int4(id).int1(0).int4(1).toBytes();
                save("com_stmt_execute/execute_call_cursor_select" + suffix + ".hex",
                        headers(session, "COM_STMT_EXECUTE").setup(VectorRecorder.CURSOR_SELECT_PROCEDURE)
                                .statement(CALL).note("no cursor flag: the procedure's own cursor is open"),
                        session.command(execute, Shape.RESULTS));
            }
        }
    }

    private static long prepare(RawSession session) throws IOException {
        byte[] payload = new PayloadWriter().int1(COM_STMT_PREPARE).text(CALL).toBytes();
        byte[] ok = session.command(payload, Shape.PREPARE_OK).server();
        if ((ok[4] & 0xFF) != 0x00) {
            throw new IllegalStateException("prepare failed: " + CALL);
        }
        PayloadReader reader = new PayloadReader(ok);
        reader.skip(5);
        return reader.int4();
    }
}
