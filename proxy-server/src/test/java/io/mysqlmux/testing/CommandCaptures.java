package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.BASE;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_DEPRECATE_EOF;

import io.mysqlmux.testing.RawMysqlClient.Capture;
import io.mysqlmux.testing.ResponseReader.Shape;
import java.io.IOException;

/** One directory per simple command: ping, init_db, statistics, set_option, reset, field_list, change_user, quit. */
final class CommandCaptures extends Captures {

    private static final int MODERN = BASE | CLIENT_DEPRECATE_EOF;
    private static final byte COM_INIT_DB = 0x02;
    private static final byte COM_FIELD_LIST = 0x04;
    private static final byte COM_STATISTICS = 0x09;
    private static final byte COM_PING = 0x0E;
    private static final byte COM_SET_OPTION = 0x1B;
    private static final byte COM_RESET_CONNECTION = 0x1F;
    private static final int MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
    private static final int MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;

    CommandCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException {
        try (RawSession session = open(MODERN)) {
            recordOnePacketCommands(session);
            recordChangeUser(session);
        }
        for (int capabilities : BOTH_EOF_MODES) {
            try (RawSession session = open(capabilities)) {
                recordFieldList(session);
                recordSetOption(session);
            }
        }
        try (RawSession session = open(MODERN)) {
            save("com_quit/quit.hex", headers(session, "COM_QUIT")
                    .note("the server sends nothing and closes the connection"), session.quit());
        }
    }

    private void recordOnePacketCommands(RawSession session) throws IOException {
        record(session, "com_ping/ping_ok.hex", "COM_PING", new byte[] {COM_PING});
        record(session, "com_init_db/init_db_ok.hex", "COM_INIT_DB",
                new PayloadWriter().int1(COM_INIT_DB).text("app").toBytes());
        record(session, "com_init_db/init_db_unknown_db_err_1049.hex", "COM_INIT_DB",
                new PayloadWriter().int1(COM_INIT_DB).text("no_such_db").toBytes());
        record(session, "com_statistics/statistics.hex", "COM_STATISTICS", new byte[] {COM_STATISTICS});
        record(session, "com_reset_connection/reset_connection_ok.hex", "COM_RESET_CONNECTION",
                new byte[] {COM_RESET_CONNECTION});
    }

    private void record(RawSession session, String path, String command, byte[] payload) throws IOException {
        save(path, headers(session, command), session.command(payload, Shape.ONE_PACKET));
    }

    // COM_CHANGE_USER restarts the sequence at 0; any AuthSwitch round continues it.
    private void recordChangeUser(RawSession session) throws IOException {
        RawMysqlClient client = session.client();
        client.takeCapture();
        RawLogin.Request other = RawLogin.Request.of(EmbeddedMariaDb.OTHER, "app", session.capabilities());
        byte[] reply = RawLogin.changeUser(client, session.greeting(), other);
        client.expectSilence();
        if (reply[0] != 0x00) {
            throw new IllegalStateException("COM_CHANGE_USER to other failed");
        }
        save("com_change_user/change_user_to_other.hex", headers(session, "COM_CHANGE_USER")
                .note("user other, database app, mysql_native_password token computed with the "
                        + "scramble of the connection's greeting"), client.takeCapture());
    }

    private void recordFieldList(RawSession session) throws IOException {
        byte[] payload = new PayloadWriter().int1(COM_FIELD_LIST).nulText("items").toBytes();
        Capture capture = session.command(payload, Shape.FIELD_LIST);
        save("com_field_list/field_list" + eofSuffix(session.capabilities()) + ".hex",
                headers(session, "COM_FIELD_LIST").statement("table items, no wildcard")
                        .setup(VectorRecorder.ITEMS_TABLE), capture);
    }

    private void recordSetOption(RawSession session) throws IOException {
        String suffix = eofSuffix(session.capabilities());
        save("com_set_option/multi_statements_on" + suffix + ".hex",
                headers(session, "COM_SET_OPTION").note("MYSQL_OPTION_MULTI_STATEMENTS_ON"),
                session.command(setOption(MYSQL_OPTION_MULTI_STATEMENTS_ON), Shape.ONE_PACKET));
        save("com_set_option/multi_statements_off" + suffix + ".hex",
                headers(session, "COM_SET_OPTION").note("MYSQL_OPTION_MULTI_STATEMENTS_OFF"),
                session.command(setOption(MYSQL_OPTION_MULTI_STATEMENTS_OFF), Shape.ONE_PACKET));
    }

    private static byte[] setOption(int option) {
        return new PayloadWriter().int1(COM_SET_OPTION).int2(option).toBytes();
    }
}
