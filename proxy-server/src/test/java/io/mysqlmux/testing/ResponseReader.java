package io.mysqlmux.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads exactly one server response of a known shape, so that the recorder stops where the response
 * ends; {@link RawMysqlClient#expectSilence()} afterwards catches a wrong guess. Written from the
 * protocol docs alone (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html).
 */
final class ResponseReader {

    /** How the server answers a command. */
    enum Shape {
        /** OK, ERR, EOF (COM_SET_OPTION) or plain text (COM_STATISTICS): one packet. */
        ONE_PACKET,
        /** COM_QUERY and COM_STMT_EXECUTE: OK/ERR/result sets, repeated while MORE_RESULTS_EXISTS. */
        RESULTS,
        /** COM_FIELD_LIST: column definitions up to EOF (or OK 0xFE), or ERR. */
        FIELD_LIST,
        /** COM_STMT_PREPARE: PREPARE_OK, parameter and column definitions, or ERR. */
        PREPARE_OK,
        /** COM_STMT_FETCH: rows up to EOF (or OK 0xFE), or ERR. */
        ROWS,
        /** COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: nothing. */
        NONE
    }

    private static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;
    private static final int SERVER_STATUS_CURSOR_EXISTS = 0x0040;

    private final RawMysqlClient client;
    private final boolean deprecateEof;

    ResponseReader(RawMysqlClient client, boolean deprecateEof) {
        this.client = client;
        this.deprecateEof = deprecateEof;
    }

    /**
     * Reads one response. {@code localFile} answers a LOCAL INFILE request (0xFB): the recorder sends
     * it as one packet, then the empty packet that ends the file; null if none is expected.
     */
    void read(Shape shape, byte[] localFile) throws IOException {
        switch (shape) {
            case ONE_PACKET -> client.readPacket();
            case RESULTS -> readResults(localFile);
            case FIELD_LIST -> readUntilTerminator();
            case PREPARE_OK -> readPrepareOk();
            case ROWS -> readUntilTerminator();
            case NONE -> { }
        }
    }

    private void readResults(byte[] localFile) throws IOException {
        int status;
        do {
            byte[] first = client.readPacket();
            switch (first[0] & 0xFF) {
                case 0x00 -> status = okStatus(first);
                case 0xFF -> status = 0; // an ERR ends the whole response
                case 0xFB -> status = sendLocalFile(first, localFile);
                default -> status = readResultSet(first);
            }
        } while ((status & SERVER_MORE_RESULTS_EXISTS) != 0);
    }

    // The file goes in the same exchange: its packets continue the sequence ids; then the OK/ERR.
    private int sendLocalFile(byte[] request, byte[] localFile) throws IOException {
        if (localFile == null) {
            throw new IllegalStateException("unexpected LOCAL INFILE request for "
                    + new String(request, 1, request.length - 1, StandardCharsets.UTF_8));
        }
        if (localFile.length > 0) {
            client.writePacket(localFile);
        }
        client.writePacket(new byte[0]);
        byte[] reply = client.readPacket();
        return (reply[0] & 0xFF) == 0x00 ? okStatus(reply) : 0;
    }

    // Column count, definitions, [EOF], rows, then EOF or OK(0xFE) or ERR; returns the end's status.
    private int readResultSet(byte[] columnCount) throws IOException {
        long columns = new PayloadReader(columnCount).lenenc();
        for (long i = 0; i < columns; i++) {
            client.readPacket();
        }
        if (!deprecateEof) {
            int status = eofStatus(client.readPacket());
            // COM_STMT_EXECUTE with a cursor: rows come with COM_STMT_FETCH. A stored program with a
            // cursor open sets CURSOR_EXISTS on its result sets too, but with MORE_RESULTS, and rows follow.
            if ((status & SERVER_STATUS_CURSOR_EXISTS) != 0 && (status & SERVER_MORE_RESULTS_EXISTS) == 0) {
                return status;
            }
        }
        return readUntilTerminator();
    }

    // Rows (or definitions) until a terminator; a 0xFE packet of 0xFFFFFF bytes is a row, not an end.
    private int readUntilTerminator() throws IOException {
        while (true) {
            byte[] packet = client.readPacket();
            int first = packet[0] & 0xFF;
            if (first == 0xFF) {
                return 0;
            }
            if (first == 0xFE && packet.length < RawMysqlClient.MAX_PAYLOAD) {
                return packet.length == 5 ? eofStatus(packet) : okStatus(packet);
            }
        }
    }

    // PREPARE_OK: 0x00, stmt id int<4>, columns int<2>, params int<2>, filler, warnings int<2>.
    private void readPrepareOk() throws IOException {
        byte[] ok = client.readPacket();
        if ((ok[0] & 0xFF) == 0xFF) {
            return;
        }
        PayloadReader in = new PayloadReader(ok);
        in.skip(5);
        int columns = in.int2();
        int params = in.int2();
        readDefinitions(params);
        readDefinitions(columns);
    }

    private void readDefinitions(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            client.readPacket();
        }
        if (count > 0 && !deprecateEof) {
            eofStatus(client.readPacket());
        }
    }

    // EOF: 0xFE, warnings int<2>, status int<2>.
    private static int eofStatus(byte[] eof) {
        if ((eof[0] & 0xFF) != 0xFE || eof.length != 5) {
            throw new IllegalStateException("expected an EOF packet, got 0x"
                    + Integer.toHexString(eof[0] & 0xFF) + " of " + eof.length + " bytes");
        }
        return (eof[3] & 0xFF) | (eof[4] & 0xFF) << 8;
    }

    // OK (0x00 or 0xFE): header, affected rows, last insert id, status int<2>, ...
    static int okStatus(byte[] ok) {
        PayloadReader in = new PayloadReader(ok);
        in.skip(1);
        in.lenenc();
        in.lenenc();
        return in.int2();
    }
}
