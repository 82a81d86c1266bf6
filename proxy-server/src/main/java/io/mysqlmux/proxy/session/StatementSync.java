package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComInitDb;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.mysqlmux.proxy.backend.ServerStatements;
import io.mysqlmux.proxy.backend.StatementKey;
import io.mysqlmux.proxy.pool.PoolStatistics;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.Objects;

/**
 * Makes sure the server connection a session borrowed has the client's statement prepared, and
 * prepares it there if not. Table names in a statement are resolved at prepare time, so it is
 * prepared in the schema the client prepared it in (switching the connection there and back when
 * the session has moved on). Statements that fall out of the connection's cache are closed on the
 * server on the way.
 */
final class StatementSync {

    /** Where it ends, on the session's executor. */
    interface Listener {
        void ready(ServerStatements.Entry entry);

        /** The server refused to prepare it (a table was dropped, ...). */
        void refused(ErrPacket error);

        /** The connection broke. */
        void lost(String why);
    }

    private StatementSync() {
    }

    static void ensure(BackendConnection backend, EventExecutor executor, ClientStatement statement,
                       PoolStatistics statistics, Listener listener) {
        StatementKey key = statement.key();
        ServerStatements.Entry entry = backend.statements().get(key);
        if (entry != null) {
            listener.ready(entry);
            return;
        }
        String current = backend.sessionState().schema();
        if (key.schema() == null || Objects.equals(key.schema(), current)) {
            prepare(backend, executor, key, statistics, listener);
            return;
        }
        InternalCommand.run(backend, executor, new ComInitDb(key.schema())::write, ExpectedResponse.RESULT, false,
                (c, switched) -> {
                    if (!switched.succeeded()) {
                        fail(switched, listener);
                        return;
                    }
                    c.sessionState().schema(key.schema());
                    prepare(c, executor, key, statistics, listener);
                });
    }

    private static void prepare(BackendConnection backend, EventExecutor executor, StatementKey key,
                                PoolStatistics statistics, Listener listener) {
        closeOnServer(backend, backend.statements().makeRoom());
        InternalCommand.run(backend, executor, out -> out.writeByte(CommandCode.COM_STMT_PREPARE.code())
                .writeBytes(key.sqlBytes()), ExpectedResponse.PREPARE, false, (c, result) -> {
                    if (!result.succeeded() || result.preparedStatementId() < 0) {
                        fail(result, listener);
                        return;
                    }
                    List<Long> evicted = c.statements().put(key, result.preparedStatementId());
                    closeOnServer(c, evicted);
                    statistics.reprepared();
                    listener.ready(c.statements().get(key));
                });
    }

    /** COM_STMT_CLOSE has no answer, so it can go right before the next command. */
    static void closeOnServer(BackendConnection backend, List<Long> serverIds) {
        for (long id : serverIds) {
            backend.write(PacketEncoder.encode(backend.channel().alloc(), 0,
                    out -> out.writeByte(CommandCode.COM_STMT_CLOSE.code()).writeIntLE((int) id)));
        }
    }

    private static void fail(InternalCommand.Result result, Listener listener) {
        if (result.error() != null) {
            listener.refused(result.error());
        } else {
            listener.lost(result.problem());
        }
    }
}
