package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.BASE;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_LOCAL_FILES;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_MULTI_STATEMENTS;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.testing.RawMysqlClient.Capture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code com_query/}: OK and ERR shapes, result sets in both EOF layouts, multi-results, big rows, LOCAL INFILE. */
final class QueryCaptures extends Captures {

    private static final int MODERN = BASE | CLIENT_DEPRECATE_EOF;
    // Row payload sizes around the 16 MiB split: one below, exactly at (empty trailer), one above.
    private static final List<Integer> BIG_ROW_PAYLOADS = List.of(0xFFFFFE, 0xFFFFFF, 0x1000000);
    // A text row holding one string of n >= 2^16 bytes is 0xFD + int<3> length + n bytes.
    private static final int LENENC_3_OVERHEAD = 4;
    private static final String ROWS_300 = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
            + "WHERE n < 300) SELECT n FROM r";

    QueryCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException {
        try (RawSession session = open(MODERN)) {
            recordOkAndErrShapes(session);
            recordBigRows(session);
        }
        for (int capabilities : BOTH_EOF_MODES) {
            try (RawSession session = open(capabilities)) {
                recordResultSets(session, eofSuffix(capabilities));
            }
            try (RawSession session = open(capabilities | CLIENT_MULTI_STATEMENTS)) {
                recordQuery(session, "com_query/multi_statement" + eofSuffix(capabilities) + ".hex",
                        "SELECT 1; SELECT 2");
            }
        }
        try (RawSession session = open(MODERN | CLIENT_LOCAL_FILES)) {
            recordLoadDataLocalInfile(session);
        }
    }

    private void recordOkAndErrShapes(RawSession session) throws IOException {
        recordQuery(session, "com_query/create_table_ok.hex", "CREATE TABLE t_auto (id INT "
                + "AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20)) AUTO_INCREMENT = 300");
        // last_insert_id 300 > 250 needs the 0xFC form of int<lenenc>
        recordQuery(session, "com_query/insert_last_insert_id_300.hex",
                "INSERT INTO t_auto (v) VALUES ('a')");
        session.run("INSERT INTO t_auto (v) VALUES ('b')");
        recordQuery(session, "com_query/update_info_rows_matched.hex",
                "UPDATE t_auto SET v = 'c' WHERE id >= 300");
        recordQuery(session, "com_query/syntax_error_err_1064.hex", "SELEC 1");
    }

    private void recordResultSets(RawSession session, String suffix) throws IOException {
        recordQuery(session, "com_query/select_two_rows" + suffix + ".hex",
                "SELECT 1 AS a, NULL AS b, 'x' AS c UNION ALL SELECT 2, 'y', NULL");
        recordQuery(session, "com_query/select_empty" + suffix + ".hex",
                "SELECT id, name FROM items WHERE 1 = 0");
        recordQuery(session, "com_query/select_300_rows" + suffix + ".hex", ROWS_300);
        Capture call = session.query("CALL two_results()");
        save("com_query/call_two_result_sets" + suffix + ".hex", headers(session, "COM_QUERY")
                .setup(VectorRecorder.TWO_RESULTS_PROCEDURE).statement("CALL two_results()"), call);
    }

    private void recordBigRows(RawSession session) throws IOException {
        for (int payload : BIG_ROW_PAYLOADS) {
            String sql = "SELECT REPEAT('x', " + (payload - LENENC_3_OVERHEAD) + ") AS big";
            Capture capture = session.query(sql);
            int observed = largestLogicalPayload(capture.server());
            if (observed != payload) {
                throw new IllegalStateException(sql + ": row payload is 0x" + Integer.toHexString(observed)
                        + ", expected 0x" + Integer.toHexString(payload));
            }
            String name = "com_query/select_row_payload_0x" + Integer.toHexString(observed) + ".hex";
            save(name, headers(session, "COM_QUERY").statement(sql).note("row payload "
                    + observed + " bytes = 0x" + Integer.toHexString(observed) + splitNote(observed)), capture);
        }
    }

    private static String splitNote(int payload) {
        if (payload < RawMysqlClient.MAX_PAYLOAD) {
            return ", one packet";
        }
        int rest = payload - RawMysqlClient.MAX_PAYLOAD;
        return ", sent as a 0xffffff packet plus a packet of " + rest + " bytes"
                + (rest == 0 ? " (the empty trailer)" : "");
    }

    // Joins 0xFFFFFF continuations the way a reader must, to name the file after the real size.
    private static int largestLogicalPayload(byte[] wire) {
        int largest = 0;
        int current = 0;
        for (byte[] packet : HexVectors.packets(wire)) {
            int length = packet.length - 4;
            current += length;
            if (length < RawMysqlClient.MAX_PAYLOAD) {
                largest = Math.max(largest, current);
                current = 0;
            }
        }
        return largest;
    }

    private void recordLoadDataLocalInfile(RawSession session) throws IOException {
        String sql = "LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE t_load FIELDS TERMINATED BY ','";
        byte[] file = "1,one\n2,two\n".getBytes(StandardCharsets.US_ASCII);
        Capture capture = session.queryWithLocalFile(sql, file);
        save("com_query/load_data_local_infile.hex", headers(session, "COM_QUERY").statement(sql)
                .note("client section: COM_QUERY, then the file (one packet) and the empty packet "
                        + "that ends it; server section: the 0xFB request, then the OK"), capture);
    }
}
