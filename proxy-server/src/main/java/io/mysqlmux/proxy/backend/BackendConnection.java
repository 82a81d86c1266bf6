package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.HandshakeV10;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the server. Its channel lives on one event loop (its home) for life; whoever
 * holds it (a client session on any loop, or the pool on the home loop) reads it through
 * {@link BackendReceiver} and writes to it directly, which Netty makes safe from any thread.
 *
 * <p>Ownership: while lent, the fields below belong to the lease holder's thread; otherwise to the
 * home loop. Hand-overs go through the pool's lock, which orders the accesses.
 */
public final class BackendConnection {
    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

    private final long id;
    private final Channel channel;
    private final long createdNanos = System.nanoTime();
    private volatile BackendReceiver receiver;
    private volatile boolean closed;

    // Set during login and setup, fixed afterwards.
    private Capability capabilities;
    private long serverThreadId;
    private HandshakeV10 greeting;
    private ClientLogin.Settings loginSettings;
    private Map<String, String> handshakeVariables = Map.of();
    /** Reads responses in the shape the login negotiated (classic EOF packets or OK terminators). */
    private ResponseTracker tracker;

    // Owned by the holder of the connection (see class comment).
    private final SessionState sessionState = new SessionState(null, Map.of(), false);
    private int statusFlags = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    private long lastUsedNanos = createdNanos;
    private long commandsExecuted;
    /** A client ran SET ROLE on it: MariaDB's COM_RESET_CONNECTION keeps the role, so it is never lent again. */
    private volatile boolean roleSet;
    /** The proxy's generation of global variables its session defaults were taken at (login or reset). */
    private long defaultsEpoch;
    private ServerStatements statements;

    BackendConnection(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public EventLoop homeLoop() {
        return channel.eventLoop();
    }

    /** The statements prepared on this connection (null until it joins a pool). */
    public ServerStatements statements() {
        return statements;
    }

    /** Set once, when the connection joins a pool. */
    public void statements(ServerStatements prepared) {
        statements = prepared;
    }

    public BackendReceiver receiver() {
        return receiver;
    }

    /**
     * Makes {@code next} the reader of this connection. Returns false if the connection is already
     * closed: the caller then learns of it here rather than from a callback that may have gone to
     * the previous receiver.
     */
    public boolean attach(BackendReceiver next) {
        receiver = next;
        return !closed;
    }

    public void detach() {
        receiver = null;
    }

    public Capability capabilities() {
        return capabilities;
    }

    void loggedIn(ClientLogin login, ClientLogin.Settings settings) {
        this.capabilities = login.negotiated();
        this.tracker = new ResponseTracker(capabilities.isDeprecateEof());
        this.greeting = login.greeting();
        this.serverThreadId = greeting.connectionId();
        this.loginSettings = settings;
    }

    /** The greeting this connection got (its scramble signs a COM_CHANGE_USER). */
    HandshakeV10 greeting() {
        return greeting;
    }

    /** How this connection logged in (to log in again with COM_CHANGE_USER). */
    ClientLogin.Settings loginSettings() {
        return loginSettings;
    }

    /** The character-set variables its login collation gave it, as a fresh session has them. */
    Map<String, String> handshakeVariables() {
        return handshakeVariables;
    }

    void handshakeVariables(Map<String, String> variables) {
        this.handshakeVariables = Map.copyOf(variables);
    }

    /** The server's own id for this connection (what the server's KILL and processlist use). */
    public long serverThreadId() {
        return serverThreadId;
    }

    public ResponseTracker tracker() {
        return tracker;
    }

    /** The session state the server connection has now. */
    public SessionState sessionState() {
        return sessionState;
    }

    /** Status flags of the last complete response (autocommit, in transaction, ...). */
    public int statusFlags() {
        return statusFlags;
    }

    public void statusFlags(int flags) {
        this.statusFlags = flags;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    public long commandsExecuted() {
        return commandsExecuted;
    }

    /** Marks that a client changed the role (privileges) of this server session. */
    public void carriesRole() {
        roleSet = true;
    }

    /** True when another session must never get it: it may carry a client's role. */
    public boolean hasClientRole() {
        return roleSet;
    }

    public long defaultsEpoch() {
        return defaultsEpoch;
    }

    /** Its session defaults were just taken from the server's globals (opened, reset, logged in again). */
    public void defaultsEpoch(long epoch) {
        defaultsEpoch = epoch;
    }

    /** Writes and flushes one command or data packet (consumed). */
    public void write(ByteBuf frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Counts a command sent for a client and marks the connection as used now. */
    public void commandSent() {
        commandsExecuted++;
        lastUsedNanos = System.nanoTime();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops or resumes reading from the server (backpressure from a slow client). */
    public void autoRead(boolean on) {
        channel.config().setAutoRead(on);
    }

    public void close() {
        channel.close();
    }

    /**
     * Ends a healthy, idle session the polite way: COM_QUIT, and the server closes its end. A bare
     * close would count in the server's Aborted_clients and log "Aborted connection" at every
     * max_lifetime rotation. Closes it from this side if the server has not within {@code graceMillis}.
     * Any thread.
     */
    public void quit(long graceMillis) {
        try {
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    return;
                }
                channel.writeAndFlush(PacketEncoder.encode(channel.alloc(), 0,
                        out -> out.writeByte(CommandCode.COM_QUIT.code())));
                channel.eventLoop().schedule((Runnable) channel::close, graceMillis, TimeUnit.MILLISECONDS);
            });
        } catch (RejectedExecutionException loopStopped) {
            channel.close(); // the proxy is stopping: no time to be polite
        }
    }

    /** Called on the home loop when the channel went away. */
    void onClosed(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (cause != null) {
            log.debug("b{} closed: {}", id, cause.toString());
        }
        BackendReceiver current = receiver;
        if (current != null) {
            BackendHandler.run(current, () -> current.onBackendClosed(this, cause));
        }
    }

    /** A packet while nobody reads: the server is closing it (MySQL 8 sends ERR 4031 at wait_timeout). */
    void onUnsolicitedPacket() {
        log.info("b{} sent a packet while idle; closing it (the server is probably ending the session)", id);
        channel.close();
    }

    @Override
    public String toString() {
        return "b" + id;
    }
}
