package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.proxy.net.Transport;
import io.mysqlmux.proxy.config.HostAndPort;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.config.UserConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens server connections: TCP connect, login as the pool's user, then the session setup every
 * pooled connection needs (session tracking on). The first connection also learns the
 * {@link ServerInfo} that client greetings repeat. Everything runs on the event loop the connection
 * is opened on, without blocking.
 */
public final class BackendConnector {
    private static final Logger log = LoggerFactory.getLogger(BackendConnector.class);

    /**
     * What the proxy asks of every server connection. SESSION_TRACK is required (state is learned
     * from OK packets); MULTI_STATEMENTS is switched per client with COM_SET_OPTION; FOUND_ROWS and
     * DEPRECATE_EOF are the client's, per pool ({@link WireShape}); MariaDB progress reports are
     * passed on to clients that asked for them and withheld from the others.
     */
    static final long WANTED_CAPABILITIES = Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_LONG_FLAG
            | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_LOCAL_FILES | Capability.CLIENT_PROTOCOL_41
            | Capability.CLIENT_TRANSACTIONS | Capability.CLIENT_SECURE_CONNECTION | Capability.CLIENT_MULTI_RESULTS
            | Capability.CLIENT_PS_MULTI_RESULTS | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_CONNECT_ATTRS
            | Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CLIENT_SESSION_TRACK
            | Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS | Capability.MARIADB_CLIENT_PROGRESS;
    private static final long REQUIRED = Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_SESSION_TRACK
            | Capability.CLIENT_SECURE_CONNECTION;

    static final String TRACKING_SETUP = "SET SESSION session_track_schema=ON, session_track_state_change=ON,"
            + " session_track_system_variables='*', session_track_transaction_info='CHARACTERISTICS'";
    /** What {@link #TRACKING_SETUP} sets. */
    public static final SessionTrackSettings TRACKING = SessionTrackSettings.of("*", "ON", "ON", "CHARACTERISTICS");
    private static final String SERVER_LIMITS = "SELECT @@max_allowed_packet, @@wait_timeout, @@max_prepared_stmt_count,"
            + " @@max_connections, @@global.session_track_system_variables, @@global.session_track_schema,"
            + " @@global.session_track_state_change, @@global.session_track_transaction_info";
    private static final Map<String, String> ATTRIBUTES = Map.of("_client_name", "mysqlmux",
            "program_name", "mysqlmux");
    private static final AtomicLong IDS = new AtomicLong();

    /** Where a connection attempt ends. Called on the connection's event loop. */
    public interface Callback {
        void connected(BackendConnection connection);

        /** @param serverError the server's ERR (login refused, too many connections), or null */
        void failed(String reason, ErrPacket serverError);
    }

    private final HostAndPort address;
    private final Settings settings;
    private final Transport transport;
    private final ServerInfoHolder serverInfo;

    public BackendConnector(HostAndPort address, Settings settings, Transport transport,
                            ServerInfoHolder serverInfo) {
        this.address = address;
        this.settings = settings;
        this.transport = transport;
        this.serverInfo = serverInfo;
    }

    /** Turns the proxy's session trackers back on (a client's SET changed them, or a reset dropped them). */
    public static void restoreTracking(BackendConnection connection, EventExecutor executor,
                                       InternalCommand.Callback next) {
        InternalCommand.run(connection, executor, new ComQuery(TRACKING_SETUP)::write, ExpectedResponse.RESULT, false,
                next);
    }

    public HostAndPort address() {
        return address;
    }

    /**
     * Opens a connection on {@code loop} as {@code user}, in {@code shape}; reports through
     * {@code callback} on that loop.
     */
    public void open(EventLoop loop, UserConfig user, WireShape shape, Callback callback) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> open(loop, user, shape, callback));
            return;
        }
        long id = IDS.incrementAndGet();
        long connectTimeoutMillis = settings.value(Setting.BACKEND_CONNECT_TIMEOUT);
        Attempt attempt = new Attempt(id, user, shape, callback);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        attempt.connection = new BackendConnection(id, ch);
                        attempt.connection.attach(attempt.login(loop));
                        ch.pipeline().addLast(new PacketFrameDecoder(), new BackendHandler(attempt.connection));
                    }
                });
        ChannelFuture connect = bootstrap.connect(address.toSocketAddress());
        attempt.timeout = loop.schedule(() -> attempt.fail("no login within " + connectTimeoutMillis + " ms", null),
                connectTimeoutMillis, TimeUnit.MILLISECONDS);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                attempt.fail(f.cause().getMessage() == null ? f.cause().toString() : f.cause().getMessage(), null);
            }
        });
    }

    /** One connection attempt, from TCP connect to the end of the session setup. */
    private final class Attempt implements BackendLogin.Callback {
        private final long id;
        private final UserConfig user;
        private final WireShape shape;
        private final Callback callback;
        private BackendConnection connection;
        private ScheduledFuture<?> timeout;
        private boolean finished;

        Attempt(long id, UserConfig user, WireShape shape, Callback callback) {
            this.id = id;
            this.user = user;
            this.shape = shape;
            this.callback = callback;
        }

        private ClientLogin.Settings settings;

        BackendLogin login(EventLoop loop) {
            long wanted = WANTED_CAPABILITIES | shape.capabilities();
            settings = new ClientLogin.Settings(user.name(), user.passwordBytes(), null, 0, Capability.of(wanted),
                    ATTRIBUTES, false);
            return new BackendLogin(loop, new ClientLogin(settings), this, false);
        }

        @Override
        public void loggedIn(BackendConnection connection, ClientLogin login) {
            Capability negotiated = login.negotiated();
            long required = REQUIRED | shape.capabilities();
            if (!negotiated.has(required)) {
                fail("the server lacks " + Capability.of(required & ~negotiated.bits())
                        + " (mysqlmux needs MySQL 5.7+ or MariaDB 10.2+)", null);
                return;
            }
            connection.loggedIn(login, settings);
            int collation = login.greeting().collation();
            InternalCommand.run(connection, connection.homeLoop(), new ComQuery(TRACKING_SETUP)::write,
                    ExpectedResponse.RESULT, false, (c, result) -> {
                        if (!result.succeeded()) {
                            fail("session setup failed: " + result.problem(), result.error());
                        } else if (serverInfo.isKnown()) {
                            ready(collation);
                        } else {
                            probe(login, collation);
                        }
                    });
        }

        /** First connection: learn the server's limits and collations for the greeting clients get. */
        private void probe(ClientLogin login, int collation) {
            InternalCommand.run(connection, connection.homeLoop(), new ComQuery(SERVER_LIMITS)::write,
                    ExpectedResponse.RESULT, true, (c, limits) -> {
                        if (!limits.succeeded() || limits.rows().isEmpty()) {
                            fail("reading server limits failed: " + limits.problem(), limits.error());
                            return;
                        }
                        InternalCommand.run(connection, connection.homeLoop(), new ComQuery(CollationTable.QUERY)::write,
                                ExpectedResponse.RESULT, true, (c2, collations) -> {
                                    if (!collations.succeeded()) {
                                        fail("reading collations failed: " + collations.problem(), collations.error());
                                        return;
                                    }
                                    String[] row = limits.rows().get(0);
                                    serverInfo.publish(new ServerInfo(login.greeting().serverVersion(),
                                            login.greeting().capabilities(), collation, login.greeting().statusFlags(),
                                            CollationTable.fromRows(collations.rows()), Long.parseLong(row[0]),
                                            Long.parseLong(row[1]), Long.parseLong(row[2]), Long.parseLong(row[3]),
                                            SessionTrackSettings.of(row[4], row[5], row[6], row[7])));
                                    ready(collation);
                                });
                    });
        }

        private void ready(int collation) {
            if (finished) {
                return;
            }
            finished = true;
            timeout.cancel(false);
            ServerInfo info = serverInfo.get();
            connection.handshakeVariables(info.collations().handshakeVariables(collation, info.defaultCollation()));
            connection.handshakeVariables().forEach(connection.sessionState()::variable);
            connection.detach();
            log.debug("b{} connected to {} as {} (server thread {})", id, address, user.name(),
                    connection.serverThreadId());
            callback.connected(connection);
        }

        @Override
        public void failed(BackendConnection connection, String reason, ErrPacket serverError) {
            fail(reason, serverError);
        }

        void fail(String reason, ErrPacket serverError) {
            if (finished) {
                return;
            }
            finished = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (connection != null) {
                connection.detach();
                connection.close();
            }
            callback.failed(reason, serverError);
        }
    }
}
