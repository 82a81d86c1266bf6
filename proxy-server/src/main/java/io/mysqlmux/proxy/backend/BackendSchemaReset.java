package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;

/**
 * Leaves a server connection with no default schema, for a client that has none: no SQL command
 * un-selects a schema, so the connection logs in again with COM_CHANGE_USER and no schema, then gets
 * back what every pooled connection has (multi-statements off, the proxy's session tracking).
 * COM_CHANGE_USER resets the whole session, so its state becomes a fresh login's.
 */
public final class BackendSchemaReset {

    private BackendSchemaReset() {
    }

    /** Runs on {@code executor}; {@code done} gets a succeeded result or the failure. */
    public static void run(BackendConnection connection, EventExecutor executor, InternalCommand.Callback done) {
        ClientLogin.Settings original = connection.loginSettings();
        ClientLogin.Settings settings = new ClientLogin.Settings(original.user(), original.password(), null,
                connection.greeting().collation(), original.wanted(), original.connectAttributes(), false);
        ClientLogin login = ClientLogin.changeUser(settings, connection.greeting(), connection.capabilities());
        BackendLogin receiver = new BackendLogin(executor, login, new BackendLogin.Callback() {
            @Override
            public void loggedIn(BackendConnection c, ClientLogin l) {
                c.statements().clear();
                c.sessionState().schema(null);
                c.sessionState().replaceVariables(c.handshakeVariables());
                c.statusFlags(ServerStatus.SERVER_STATUS_AUTOCOMMIT);
                restore(c, executor, done);
            }

            @Override
            public void failed(BackendConnection c, String reason, ErrPacket serverError) {
                done.done(c, failure(serverError, reason));
            }
        }, true);
        if (!connection.attach(receiver)) {
            done.done(connection, failure(null, "server connection " + connection + " is closed"));
            return;
        }
        connection.write(PacketEncoder.encode(connection.channel().alloc(), 0,
                out -> login.changeUserRequest().write(out, connection.capabilities())));
    }

    private static void restore(BackendConnection connection, EventExecutor executor, InternalCommand.Callback done) {
        InternalCommand.run(connection, executor, new ComSetOption(false)::write, ExpectedResponse.RESULT, false,
                (c, option) -> {
                    if (!option.succeeded()) {
                        done.done(c, option);
                        return;
                    }
                    c.sessionState().multiStatements(false);
                    BackendConnector.restoreTracking(c, executor, done);
                });
    }

    private static InternalCommand.Result failure(ErrPacket error, String reason) {
        return new InternalCommand.Result(null, error, List.of(), ResponseTracker.NO_STATUS,
                error == null ? new IllegalStateException(reason) : null, -1, List.of());
    }
}
