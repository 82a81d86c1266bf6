package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.handshake.LoginResult;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.WireShape;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.Lease;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client connection after login: who it is, the commands it sent (a queue answered in order:
 * clients may pipeline), what it knows of its server-side state, and its life until it ends.
 *
 * <p>Each command is taken up only when the previous one is done. One the proxy answers itself
 * goes no further than {@link CommandDispatcher}; one that needs the server becomes a
 * {@link CommandExchange}, which borrows a connection through the {@link SessionLease}, runs,
 * gives the connection back or keeps it ({@link MultiplexPolicy}), and reports to
 * {@link #commandDone}. Every way the session ends goes through {@link #terminate}, which gives
 * back what it held exactly once.
 *
 * <p>Runs on the client channel's event loop; admin views read the volatile fields from any thread.
 */
public final class ClientSession {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /**
     * What the session is doing: IDLE between commands; DISPATCHING while a command is looked at
     * (those the proxy answers at once end there); BUSY while the server answers it through
     * {@link #exchange}, or the proxy's own work does (a KILL); AUTH_SWITCH while COM_CHANGE_USER
     * waits for the client's token; CLOSED at the end.
     */
    public enum State { IDLE, DISPATCHING, BUSY, AUTH_SWITCH, CLOSED }

    private final long id;
    private final ClientChannel client;
    private final LoginResult login;
    private final byte[] greetingScramble;
    private final SessionServices services;
    private final ServerResponse response;
    private final SessionLease lease;
    private final HeldConnectionReader reader = new HeldConnectionReader(this);
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();

    private volatile State state = State.IDLE;
    private volatile long stateSinceNanos = System.nanoTime();
    private volatile String user;
    private volatile TrackedState tracked;
    private volatile CommandExchange exchange;
    private volatile String lastStatement;
    /** Status flags of the last response (autocommit, in transaction, NO_BACKSLASH_ESCAPES, ...). */
    private volatile int status;
    private ChangeUserExchange changeUser;
    /** The client said goodbye (COM_QUIT); any other end counts as aborted. */
    private boolean quit;

    public ClientSession(long id, Channel client, LoginResult login, byte[] greetingScramble, SessionServices services,
                         TrackedState tracked, int statusFlags) {
        this.id = id;
        this.client = new ClientChannel(client, login.capabilities());
        this.login = login;
        this.greetingScramble = greetingScramble;
        this.services = services;
        this.user = login.user();
        this.tracked = tracked;
        this.status = statusFlags;
        this.lease = new SessionLease(this, services.pools().pool(services.users().get(user),
                WireShape.of(login.capabilities())));
        this.response = new ServerResponse(this, client, login.capabilities());
    }

    /** Sends the login OK, after making sure the schema named at login exists if nobody did yet. */
    public void start(int okSequenceId) {
        services.sessions().add(this);
        services.watchdog().watch(this);
        String schema = tracked.wanted().schema();
        if (schema == null || services.pools().isKnownSchema(schema)) {
            client.write(response.loginOk(okSequenceId, status, schema));
            client.flush();
            return;
        }
        run(CommandExchange.schemaCheck(this, okSequenceId));
    }

    /** A complete command from the client (consumed). */
    public void onCommand(ByteBuf frames) {
        if (state == State.CLOSED) {
            frames.release();
            return;
        }
        inbox.add(frames);
        drive();
    }

    /** True while the client's packets are not commands: a LOCAL INFILE file, or an auth-switch answer. */
    public boolean wantsRawPackets() {
        CommandExchange running = exchange;
        return state == State.AUTH_SWITCH || (running != null && running.state() == CommandExchange.State.LOCAL_INFILE);
    }

    /** One such packet (consumed). */
    public void onRawPacket(ByteBuf frame) {
        if (state == State.AUTH_SWITCH) {
            changeUser.answered(frame);
        } else {
            exchange.onFilePacket(frame);
            updateClientReading();
        }
    }

    public void onClientWritabilityChanged() {
        if (client.isWritable()) {
            response.resumeServer(backend());
        }
    }

    /** Takes up queued commands while nothing else runs. */
    void drive() {
        while (state == State.IDLE && !inbox.isEmpty()) {
            moveTo(State.DISPATCHING);
            services.stats().query();
            CommandDispatcher.dispatch(this, inbox.poll());
            if (state == State.DISPATCHING) {
                moveTo(State.IDLE); // answered by the proxy
            }
        }
        updateClientReading();
        client.flush();
    }

    void updateClientReading() {
        BackendConnection held = backend();
        boolean read = state != State.CLOSED
                && inbox.size() < services.config().settings().intValue(Setting.CLIENT_MAX_PIPELINED_COMMANDS)
                && (!wantsRawPackets() || held == null || held.isWritable());
        client.reading(read);
    }

    /** Runs a command on a server connection: the held one, or one the pool lends. */
    void run(CommandExchange next) {
        moveTo(State.BUSY);
        exchange = next;
        next.start();
    }

    /** The proxy's own answer to the command takes a while (a KILL waits for its KILL QUERY). */
    void answerLater() {
        moveTo(State.BUSY);
    }

    /**
     * The command under way is answered, by {@code done} (which gave back or kept the connection) or,
     * when null, by the proxy's own work: the session takes up the next one.
     */
    void commandDone(CommandExchange done) {
        if (exchange != done || state == State.CLOSED) {
            return;
        }
        exchange = null;
        moveTo(State.IDLE);
        drive();
    }

    /** The event loop everything of this session runs on. */
    public EventExecutor executor() {
        return client.channel().eventLoop();
    }

    /** Who reads the held connection (attached whenever the session takes it back). */
    HeldConnectionReader reader() {
        return reader;
    }

    // ---- COM_CHANGE_USER (see ChangeUserExchange) ----

    /** The client's next packet answers an auth switch, not a command. */
    void awaitAuthSwitch(ChangeUserExchange exchange, ByteBuf switchRequest) {
        changeUser = exchange;
        moveTo(State.AUTH_SWITCH);
        client.write(switchRequest);
        client.flush();
    }

    /** COM_CHANGE_USER accepted: the session starts over; {@code then} once the old one is gone from the server. */
    void startOver(String newUser, TrackedState fresh, BackendPool pool, Runnable then) {
        changeUser = null;
        moveTo(State.BUSY);
        user = newUser;
        tracked = fresh;
        response.resetTracking();
        log.debug("{} changed user", this);
        lease.releaseDirty(Lease.Cleanup.RESET, then);
        lease.switchPool(pool);
    }

    // ---- ending ----

    /** COM_QUIT: a proper goodbye. */
    void quit() {
        quit = true;
        close("client quit");
    }

    /** The client went away or must be dropped. Whatever server connection it held is cleaned or closed. */
    public void close(String reason) {
        if (terminate(reason)) {
            client.close();
        }
    }

    /** Sends a fatal error, then closes. */
    public void fail(ErrPacket error, int sequenceId) {
        if (terminate("error " + error.code() + ": " + error.message())) {
            client.failAndClose(error, sequenceId);
        }
    }

    /** Ends the session's work, and gives back what it held; false if it had already ended. */
    private boolean terminate(String reason) {
        if (state == State.CLOSED) {
            return false;
        }
        moveTo(State.CLOSED);
        services.sessions().remove(this);
        services.watchdog().forget(this);
        if (!quit) {
            services.stats().aborted();
        }
        log.debug("{} closed: {}", this, reason);
        inbox.forEach(ByteBuf::release);
        inbox.clear();
        CommandExchange running = exchange;
        exchange = null;
        boolean underWay = running != null && running.abandon();
        lease.endOfSession(underWay, lease.isHeld() ? tracked.holdFor(backend().statusFlags()) : null);
        return true;
    }

    private void moveTo(State next) {
        if (state != State.CLOSED && state != next) {
            state = next;
            stateSinceNanos = System.nanoTime();
        }
    }

    // ---- what the session's helpers share ----

    /** The command under way, or null. */
    CommandExchange exchange() {
        return exchange;
    }

    void reply(ByteBuf packet) {
        client.write(packet);
    }

    /** Answers the command with {@code error}; the session goes on. */
    void replyError(ErrPacket error) {
        client.write(client.err(error));
    }

    ByteBuf ok(int sequenceId) {
        return client.ok(sequenceId, status);
    }

    ClientChannel client() {
        return client;
    }

    SessionServices services() {
        return services;
    }

    SessionLease lease() {
        return lease;
    }

    ServerResponse response() {
        return response;
    }

    TrackedState tracked() {
        return tracked;
    }

    ClientStatements statements() {
        return tracked.statements();
    }

    /** The pool the session borrows from (its user's, in its wire shape). */
    public BackendPool pool() {
        return lease.pool();
    }

    int status() {
        return status;
    }

    void status(int flags) {
        status = flags;
    }

    void lastStatement(String head) {
        lastStatement = head;
    }

    LoginResult login() {
        return login;
    }

    byte[] greetingScramble() {
        return greetingScramble;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Idle: nothing running, nothing waiting to run. */
    public boolean isIdle() {
        return state == State.IDLE && inbox.isEmpty();
    }

    /** Between commands and holding an open transaction. */
    public boolean inTransaction() {
        return lease.isHeld() && ServerStatus.isInTransaction(status);
    }

    /** Counts a command refused for its size. */
    public void oversizedCommand() {
        services.stats().oversizedPacket();
    }

    // ---- what the admin views and metrics read (any thread) ----

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    public long stateSinceNanos() {
        return stateSinceNanos;
    }

    public String user() {
        return user;
    }

    public String address() {
        return client.address();
    }

    public String schema() {
        return tracked.wanted().schema();
    }

    /** The start of the last statement, or null. */
    public String lastStatement() {
        return lastStatement;
    }

    public PinReason pin() {
        return tracked.pin();
    }

    /** The server connection held right now, or null. */
    public BackendConnection backend() {
        return lease.connection();
    }

    /** What the session is doing, for admin views and metrics; may be a moment old, never invalid. */
    public SessionActivity activity() {
        CommandExchange running = exchange;
        return SessionActivity.of(state, running == null ? null : running.state(), holdReason());
    }

    /** Why the session keeps its server connection between commands, or null when it holds none. */
    public PinReason holdReason() {
        return lease.isHeld() ? tracked.holdFor(status) : null;
    }

    @Override
    public String toString() {
        return "c" + id + " " + user + "@" + client.address();
    }
}
