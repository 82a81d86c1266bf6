package io.mysqlmux.testing;

import io.mysqlmux.testing.RawMysqlClient.Capture;
import io.mysqlmux.testing.ResponseReader.Shape;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A logged-in {@link RawMysqlClient} in the command phase: sends one command, reads its whole
 * response, checks that nothing follows, and hands back the bytes of that one exchange.
 */
final class RawSession implements Closeable {

    static final byte COM_QUERY = 0x03;

    private final RawMysqlClient client;
    private final RawLogin.Greeting greeting;
    private final int capabilities;
    private final ResponseReader responses;

    private RawSession(RawMysqlClient client, RawLogin.Greeting greeting, int capabilities) {
        this.client = client;
        this.greeting = greeting;
        this.capabilities = capabilities;
        this.responses = new ResponseReader(client,
                (capabilities & CapabilityFlags.CLIENT_DEPRECATE_EOF) != 0);
    }

    /** Connects and logs in; the login bytes are not part of any later capture. */
    static RawSession open(EmbeddedMariaDb server, EmbeddedMariaDb.Account account, String database,
            int capabilities) throws IOException {
        RawMysqlClient client = RawMysqlClient.connect(server.host(), server.port());
        try {
            RawLogin.Greeting greeting = RawLogin.readGreeting(client);
            byte[] reply = RawLogin.login(client, greeting,
                    RawLogin.Request.of(account, database, capabilities));
            if (reply[0] != 0x00) {
                throw new IllegalStateException("login as " + account.user() + " failed: "
                        + new String(reply, 1, reply.length - 1, StandardCharsets.UTF_8));
            }
            client.takeCapture();
            return new RawSession(client, greeting, capabilities);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    int capabilities() {
        return capabilities;
    }

    RawLogin.Greeting greeting() {
        return greeting;
    }

    RawMysqlClient client() {
        return client;
    }

    /** COM_QUERY and its complete response. */
    Capture query(String sql) throws IOException {
        return command(comQuery(sql), Shape.RESULTS, null);
    }

    /** COM_QUERY answered by a LOCAL INFILE request, which gets {@code localFile}. */
    Capture queryWithLocalFile(String sql, byte[] localFile) throws IOException {
        return command(comQuery(sql), Shape.RESULTS, localFile);
    }

    /** Setup that is not recorded; fails on an ERR. */
    void run(String sql) throws IOException {
        Capture capture = query(sql);
        if ((capture.server()[4] & 0xFF) == 0xFF) {
            throw new IllegalStateException("setup failed: " + sql);
        }
    }

    Capture command(byte[] payload, Shape shape) throws IOException {
        return command(payload, shape, null);
    }

    private Capture command(byte[] payload, Shape shape, byte[] localFile) throws IOException {
        client.takeCapture(); // whatever came before is not part of this exchange
        client.startCommand();
        client.writePacket(payload);
        responses.read(shape, localFile);
        client.expectSilence();
        return client.takeCapture();
    }

    /** COM_QUIT: the server answers nothing and closes the connection. */
    Capture quit() throws IOException {
        client.takeCapture();
        client.startCommand();
        client.writePacket(new byte[] {RawMysqlClient.COM_QUIT});
        client.expectClosed();
        return client.takeCapture();
    }

    static byte[] comQuery(String sql) {
        return new PayloadWriter().int1(COM_QUERY).text(sql).toBytes();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
