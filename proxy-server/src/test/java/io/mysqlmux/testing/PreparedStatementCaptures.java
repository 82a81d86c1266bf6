package io.mysqlmux.testing;

import io.mysqlmux.testing.RawMysqlClient.Capture;
import io.mysqlmux.testing.ResponseReader.Shape;
import java.io.IOException;

/**
 * {@code com_stmt_*}: prepare, execute (binary rows, OK of an INSERT, cursor), fetch, reset, close,
 * in both EOF layouts. Statement ids come from the recorded PREPARE_OK, as a client would take them.
 */
final class PreparedStatementCaptures extends Captures {

    private static final byte COM_STMT_PREPARE = 0x16;
    private static final byte COM_STMT_EXECUTE = 0x17;
    private static final byte COM_STMT_CLOSE = 0x19;
    private static final byte COM_STMT_RESET = 0x1A;
    private static final byte COM_STMT_FETCH = 0x1C;
    private static final int CURSOR_TYPE_NO_CURSOR = 0x00;
    private static final int CURSOR_TYPE_READ_ONLY = 0x01;
    private static final int MYSQL_TYPE_LONGLONG = 0x08;
    private static final int MYSQL_TYPE_VAR_STRING = 0xFD;

    static final String TWO_PARAMS_THREE_COLUMNS =
            "SELECT id, name, CONCAT(note, ?) AS marked FROM items WHERE id > ?";
    static final String NO_PARAMS = "SELECT id, name FROM items ORDER BY id";
    static final String INSERT_ONE_PARAM = "INSERT INTO events (msg) VALUES (?)";

    PreparedStatementCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException {
        for (int capabilities : BOTH_EOF_MODES) {
            try (RawSession session = open(capabilities)) {
                recordSession(session, eofSuffix(capabilities));
            }
        }
    }

    private void recordSession(RawSession session, String suffix) throws IOException {
        long select = prepare(session, "com_stmt_prepare/prepare_two_params_three_columns" + suffix,
                TWO_PARAMS_THREE_COLUMNS);
        long cursor = prepare(session, "com_stmt_prepare/prepare_no_params" + suffix, NO_PARAMS);
        long insert = prepare(session, null, INSERT_ONE_PARAM);

        execute(session, "com_stmt_execute/execute_binary_rows" + suffix, TWO_PARAMS_THREE_COLUMNS,
                "params ('!', 2) as VAR_STRING, LONGLONG",
                executeWithStringAndLong(select, "!", 2));
        execute(session, "com_stmt_execute/execute_insert_ok" + suffix, INSERT_ONE_PARAM,
                "param ('hello') as VAR_STRING", executeWithString(insert, "hello"));
        execute(session, "com_stmt_execute/execute_cursor_read_only" + suffix, NO_PARAMS,
                "flags CURSOR_TYPE_READ_ONLY: the server opens a cursor and sends no rows",
                executeNoParams(cursor, CURSOR_TYPE_READ_ONLY));

        fetch(session, "com_stmt_fetch/fetch_two_rows" + suffix, cursor, 2);
        fetch(session, "com_stmt_fetch/fetch_last_rows" + suffix, cursor, 10);

        if (suffix.equals("_deprecate_eof")) {
            recordResetAndClose(session, cursor);
        }
    }

    // Returns the statement id from PREPARE_OK (payload bytes 1..4); path null: prepare unrecorded.
    private long prepare(RawSession session, String path, String sql) throws IOException {
        byte[] payload = new PayloadWriter().int1(COM_STMT_PREPARE).text(sql).toBytes();
        Capture capture = session.command(payload, Shape.PREPARE_OK);
        if ((capture.server()[4] & 0xFF) != 0x00) {
            throw new IllegalStateException("prepare failed: " + sql);
        }
        if (path != null) {
            save(path + ".hex", headers(session, "COM_STMT_PREPARE").statement(sql), capture);
        }
        PayloadReader ok = new PayloadReader(capture.server());
        ok.skip(5);
        return ok.int4();
    }

    private void execute(RawSession session, String path, String sql, String note, byte[] payload)
            throws IOException {
        save(path + ".hex", headers(session, "COM_STMT_EXECUTE").statement(sql).note(note),
                session.command(payload, Shape.RESULTS));
    }

    private void fetch(RawSession session, String path, long statementId, int rows) throws IOException {
        byte[] payload = new PayloadWriter().int1(COM_STMT_FETCH).int4(statementId).int4(rows).toBytes();
        save(path + ".hex", headers(session, "COM_STMT_FETCH").statement(NO_PARAMS)
                .note("fetch " + rows + " rows from the open cursor (5 rows in all)"),
                session.command(payload, Shape.ROWS));
    }

    private void recordResetAndClose(RawSession session, long statementId) throws IOException {
        byte[] reset = new PayloadWriter().int1(COM_STMT_RESET).int4(statementId).toBytes();
        save("com_stmt_reset/reset_ok.hex", headers(session, "COM_STMT_RESET").statement(NO_PARAMS),
                session.command(reset, Shape.ONE_PACKET));
        byte[] close = new PayloadWriter().int1(COM_STMT_CLOSE).int4(statementId).toBytes();
        save("com_stmt_close/close.hex", headers(session, "COM_STMT_CLOSE").statement(NO_PARAMS)
                .note("the server sends no response"), session.command(close, Shape.NONE));
    }

    // COM_STMT_EXECUTE: id, flags, iteration count 1, [NULL bitmap, new_params_bound_flag, types, values]
    private static PayloadWriter executeHeader(long statementId, int flags) {
        return new PayloadWriter().int1(COM_STMT_EXECUTE).int4(statementId).int1(flags).int4(1);
    }

    private static byte[] executeWithStringAndLong(long statementId, String text, long number) {
        return executeHeader(statementId, CURSOR_TYPE_NO_CURSOR)
                .int1(0) // NULL bitmap: (2 + 7) / 8 bytes, nothing NULL
                .int1(1) // new_params_bound_flag: types follow
                .int2(MYSQL_TYPE_VAR_STRING).int2(MYSQL_TYPE_LONGLONG)
                .lenencText(text).int8(number)
                .toBytes();
    }

    private static byte[] executeWithString(long statementId, String text) {
        return executeHeader(statementId, CURSOR_TYPE_NO_CURSOR)
                .int1(0).int1(1).int2(MYSQL_TYPE_VAR_STRING).lenencText(text).toBytes();
    }

    private static byte[] executeNoParams(long statementId, int flags) {
        return executeHeader(statementId, flags).toBytes();
    }
}
