package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.BASE;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_DEPRECATE_EOF;

import io.mysqlmux.testing.RawMysqlClient.Capture;
import java.io.IOException;
import java.sql.SQLException;

/** One group of recorded vectors (one or a few command directories); see {@link VectorRecorder}. */
abstract class Captures {

    /** The two result-set layouts every result-bearing command is recorded in. */
    static final int[] BOTH_EOF_MODES = {BASE | CLIENT_DEPRECATE_EOF, BASE};

    protected final EmbeddedMariaDb server;
    protected final VectorWriter writer;

    Captures(EmbeddedMariaDb server, VectorWriter writer) {
        this.server = server;
        this.writer = writer;
    }

    abstract void recordAll() throws IOException, SQLException;

    /** A session as {@code app} in database {@code app}. */
    protected RawSession open(int capabilities) throws IOException {
        return RawSession.open(server, EmbeddedMariaDb.APP, EmbeddedMariaDb.APP_DATABASE, capabilities);
    }

    protected VectorWriter.Headers headers(RawSession session, String command) {
        return writer.headers(session.capabilities()).command(command);
    }

    protected void save(String relativePath, VectorWriter.Headers headers, Capture capture)
            throws IOException {
        writer.write(relativePath, headers, capture);
    }

    /** Records one COM_QUERY exchange. */
    protected Capture recordQuery(RawSession session, String relativePath, String sql) throws IOException {
        Capture capture = session.query(sql);
        save(relativePath, headers(session, "COM_QUERY").statement(sql), capture);
        return capture;
    }

    /** {@code _deprecate_eof} or {@code _classic_eof}, naming the result-set layout in file names. */
    static String eofSuffix(int capabilities) {
        return (capabilities & CLIENT_DEPRECATE_EOF) != 0 ? "_deprecate_eof" : "_classic_eof";
    }
}
