package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComChangeUser;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.LoginResult;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendCleanup;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.mysqlmux.proxy.backend.ServerStatements;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.relay.ClientPackets;
import io.mysqlmux.proxy.relay.ProxyError;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client connection after login. Its commands form a queue answered in order (clients may
 * pipeline). A command that needs the server borrows a server connection from the pool, brings that
 * connection's session state in line with this session's ({@link StateSync}), sends the command and
 * has the response relayed as it arrives ({@link ServerResponse}); at the end the connection goes
 * back to the pool unless a transaction, a cursor or unmovable state holds it ({@link MultiplexPolicy}).
 *
 * <p>Everything here runs on the client channel's event loop.
 */
public final class ClientSession implements BackendReceiver {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** What the session is doing; the admin views show it. */
    public enum State { IDLE, ACQUIRING, SYNCING, RUNNING, LOCAL_INFILE, AUTH_SWITCH, KILLING, CLOSED }

    private final long id;
    private final Channel client;
    private final LoginResult login;
    private final byte[] greetingScramble;
    private final SessionServices services;
    private final SchemaCheck schemaCheck;
    private final ServerResponse response;
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();

    private volatile State state = State.IDLE;
    private volatile long stateSinceNanos = System.nanoTime();
    private String user;
    private volatile TrackedState tracked;
    private ByteBuf command;
    private CommandCode commandCode;
    private StatementTraits traits = StatementTraits.NONE;
    private String lastStatement;
    private final SessionLease lease;
    private final ClientStatements statements = new ClientStatements();
    /** The prepared statement the running command works on, or null. */
    private ClientStatement statement;
    /** The client statement whose cursor is open on the held connection, or -1. */
    private long cursorStatement = -1;
    private int status;
    /** An internal command (state sync, follow-up) is running on {@link #backend()}. */
    private boolean internalRunning;
    private ChangeUserExchange changeUser;
    /** KILLs of this session's running statement still in flight: the connection must not move meanwhile. */
    private int pendingKills;
    private boolean closeAfterKill;
    /** The client said goodbye (COM_QUIT); any other end counts as aborted. */
    private boolean quit;
    /** When the running command was taken up (for the latency metric). */
    private long commandStartNanos;

    public ClientSession(long id, Channel client, LoginResult login, byte[] greetingScramble, SessionServices services,
                         TrackedState tracked, int statusFlags) {
        this.id = id;
        this.client = client;
        this.login = login;
        this.greetingScramble = greetingScramble;
        this.services = services;
        this.user = login.user();
        this.lease = new SessionLease(this, services.pools().pool(services.users().get(user),
                login.capabilities().has(Capability.CLIENT_FOUND_ROWS)));
        this.tracked = tracked;
        this.status = statusFlags;
        this.schemaCheck = new SchemaCheck(services.pools());
        this.response = new ServerResponse(this, client, login.capabilities());
    }

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
        return String.valueOf(client.remoteAddress());
    }

    /**
     * What the session is doing, for admin views and metrics. Read from other threads too: the
     * fields are written on the session's loop, so the answer may be a moment old, never invalid.
     */
    public SessionActivity activity() {
        State now = state;
        return switch (now) {
            case CLOSED -> SessionActivity.CLOSED;
            case ACQUIRING -> SessionActivity.WAITING;
            case IDLE -> {
                PinReason hold = holdReason();
                yield hold == null ? SessionActivity.IDLE
                        : hold == PinReason.TRANSACTION ? SessionActivity.IN_TRANSACTION : SessionActivity.PINNED;
            }
            default -> SessionActivity.ACTIVE;
        };
    }

    /** Why the session keeps its server connection between commands, or null when it holds none. */
    public PinReason holdReason() {
        return backend() == null ? null : holdReason(status);
    }

    /** Idle: nothing running, nothing waiting to run. */
    boolean isIdle() {
        return state == State.IDLE && inbox.isEmpty();
    }

    /** When the held server connection was leased (meaningful while {@link #backend()} is set). */
    long heldSinceNanos() {
        return lease.heldSinceNanos();
    }

    boolean heldWarned() {
        return lease.heldWarned();
    }

    void heldWarned(boolean warned) {
        lease.heldWarned(warned);
    }

    public PinReason pin() {
        return tracked.pin();
    }

    /** The server connection held right now, or null. */
    public BackendConnection backend() {
        return lease.connection();
    }

    public String schema() {
        return tracked.wanted().schema();
    }

    /** The start of the last statement, or null. */
    public String lastStatement() {
        return lastStatement;
    }

    @Override
    public EventExecutor executor() {
        return client.eventLoop();
    }

    private void moveTo(State next) {
        if (state != State.CLOSED && state != next) {
            state = next;
            stateSinceNanos = System.nanoTime();
        }
    }

    /** Sends the login OK, after making sure the schema named at login exists if nobody did yet. */
    public void start(int okSequenceId) {
        services.sessions().add(this);
        services.watchdog().watch(this);
        String schema = tracked.wanted().schema();
        if (schema == null || schemaCheck.isKnown(schema)) {
            client.writeAndFlush(ok(okSequenceId), client.voidPromise());
            return;
        }
        schemaCheck.begin(okSequenceId);
        acquire();
    }

    // ---- client side ----

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
        return state == State.LOCAL_INFILE || state == State.AUTH_SWITCH;
    }

    /** One such packet (consumed). */
    public void onRawPacket(ByteBuf frame) {
        if (state == State.AUTH_SWITCH) {
            changeUser.answered(frame);
            return;
        }
        if (response.localInfile().forward(frame, backend(), response.relay())) {
            moveTo(State.RUNNING);
        }
        updateClientReading();
    }

    public void onClientWritabilityChanged() {
        if (client.isWritable()) {
            response.resumeServer(backend());
        }
    }

    void drive() {
        while (state == State.IDLE && !inbox.isEmpty() && !schemaCheck.isRunning()) {
            traits = StatementTraits.NONE;
            services.stats().query();
            CommandDispatcher.dispatch(this, inbox.poll());
        }
        updateClientReading();
        client.flush();
    }

    private void updateClientReading() {
        boolean read = state != State.CLOSED
                && inbox.size() < services.config().settings().intValue(Setting.CLIENT_MAX_PIPELINED_COMMANDS)
                && (state != State.LOCAL_INFILE || backend() == null || backend().isWritable());
        if (client.config().isAutoRead() != read) {
            client.config().setAutoRead(read);
        }
    }

    /** COM_QUERY: the lexer looks for what tracking cannot see, and the session's own values go in. */
    void query(ByteBuf frames) {
        QueryPreparation.Prepared prepared = QueryPreparation.prepare(frames, this, tracked, status);
        lastStatement = prepared.head();
        traits = prepared.traits();
        if (traits.kill() != null) {
            prepared.frames().release();
            SessionKills.kill(this, traits.kill());
            return;
        }
        if (traits.has(StatementTraits.SESSION_TRACKING)) {
            tracked.trackingMayChange();
        }
        forward(prepared.frames(), CommandCode.COM_QUERY);
    }

    /** COM_STMT_PREPARE the pool's cache could not answer: the server's answer is relayed and captured. */
    void forwardPrepare(ByteBuf frames, PrepareCapture capture, String head) {
        lastStatement = head;
        response.expectPrepare(capture);
        forward(frames, CommandCode.COM_STMT_PREPARE);
    }

    /** A command on a client statement: its server connection gets it prepared, the id rewritten. */
    void forwardStatement(ByteBuf frames, CommandCode code, ClientStatement target) {
        statement = target;
        forward(frames, code);
    }

    /** A prepare answered from the pool's cache (frames consumed). */
    void replayPrepare(java.util.List<ByteBuf> frames, java.util.List<io.mysqlmux.protocol.response.PacketKind> kinds) {
        response.replay(frames, kinds, status);
    }

    /**
     * COM_STMT_CLOSE. A statement whose cursor keeps the held connection gets the cursor closed on the
     * server (COM_STMT_RESET), so that the connection can go back.
     */
    void closeStatement(long id) {
        ClientStatement closed = statements.remove(id);
        BackendConnection held = backend();
        if (closed == null || id != cursorStatement || held == null) {
            return;
        }
        cursorStatement = -1;
        ServerStatements.Entry entry = held.statements().get(closed.key());
        if (entry == null) {
            return;
        }
        moveTo(State.SYNCING);
        internalRunning = true;
        InternalCommand.run(held, executor(), out -> out.writeByte(CommandCode.COM_STMT_RESET.code())
                .writeIntLE((int) entry.serverId()), ExpectedResponse.RESULT, false, (connection, result) -> {
                    internalRunning = false;
                    if (state == State.CLOSED) {
                        releaseAfterClose(false);
                    } else if (!result.succeeded()) {
                        close("closing a cursor failed: " + result.problem());
                    } else {
                        status = result.status();
                        afterResponse(status);
                    }
                });
    }

    /** Runs a command on a server connection: this session's held one, or a borrowed one. */
    void forward(ByteBuf frames, CommandCode code) {
        command = frames;
        commandCode = code;
        commandStartNanos = System.nanoTime();
        lease.newCommand();
        if (backend() != null) {
            sync();
        } else {
            acquire();
        }
    }

    // ---- COM_CHANGE_USER (see ChangeUserExchange) ----

    /** The client's next packet answers an auth switch, not a command. */
    void awaitAuthSwitch(ChangeUserExchange exchange, ByteBuf switchRequest) {
        changeUser = exchange;
        moveTo(State.AUTH_SWITCH);
        client.writeAndFlush(switchRequest, client.voidPromise());
    }

    /** COM_CHANGE_USER accepted: what was held is cleaned, the session starts over as the new user. */
    void startOver(ComChangeUser request, int okSequenceId) {
        changeUser = null;
        int limit = services.config().settings().userMaxConnections(request.user());
        if (!services.sessions().changeUser(user, request.user(), limit)) {
            fail(ProxyError.USER_CONNECTION_LIMIT.packet(request.user(), limit, limit, request.user()), okSequenceId);
            return;
        }
        moveTo(State.IDLE);
        BackendConnection held = lease.detach();
        if (held != null) {
            BackendCleanup.resetThenRelease(held);
        }
        statements.clear();
        cursorStatement = -1;
        user = request.user();
        lease.switchPool(services.pools().pool(services.users().get(user), lease.pool().key().foundRows()));
        int collation = request.collation() >= 0 ? request.collation() : login.collation();
        tracked = new TrackedState(new SessionState(request.schema(), services.serverInfo().collations()
                .handshakeVariables(collation, services.serverInfo().defaultCollation()),
                tracked.wanted().multiStatements()));
        log.debug("{} changed user", this);
        if (request.schema() == null || schemaCheck.isKnown(request.schema())) {
            reply(ok(okSequenceId));
            return;
        }
        schemaCheck.begin(okSequenceId);
        acquire();
    }

    // ---- lease (see SessionLease) ----

    private void acquire() {
        moveTo(State.ACQUIRING);
        lease.acquire();
    }

    /** The lease got a connection (attached to this session). */
    void leased() {
        sync();
    }

    void leaseFailed(ErrPacket error) {
        if (schemaCheck.isRunning()) {
            fail(error, schemaCheck.okSequenceId());
            return;
        }
        releaseCommand();
        reply(err(error));
        moveTo(State.IDLE);
        drive();
    }

    // ---- state sync ----

    private void sync() {
        moveTo(State.SYNCING);
        internalRunning = true;
        SessionSync.run(backend(), executor(), tracked, this, new SessionSync.Listener() {
            @Override
            public void synced() {
                internalRunning = false;
                if (state == State.CLOSED) {
                    releaseAfterClose(false);
                } else {
                    ClientSession.this.synced();
                }
            }

            @Override
            public void refused(ErrPacket error) {
                internalRunning = false;
                if (state == State.CLOSED) {
                    releaseAfterClose(false);
                } else if (schemaCheck.isRunning()) {
                    fail(error, schemaCheck.okSequenceId());
                } else {
                    releaseCommand();
                    reply(err(error));
                    afterResponse(backend().statusFlags());
                }
            }

            @Override
            public void lost(BackendConnection connection, String why) {
                internalRunning = false;
                lease.discard();
                if (state != State.CLOSED) {
                    log.info("{}: server connection {} unusable ({}); trying another", ClientSession.this, connection, why);
                    moveTo(State.ACQUIRING);
                    lease.retryOrFail(why);
                }
            }
        });
    }

    private void synced() {
        if (schemaCheck.isRunning()) {
            schemaCheck.passed(tracked.wanted().schema());
            client.write(ok(schemaCheck.okSequenceId()), client.voidPromise());
            afterResponse(backend().statusFlags());
            return;
        }
        if (statement != null) {
            ensureStatement();
            return;
        }
        send();
    }

    /** The statement must exist on the borrowed connection, and the command must name it by its id there. */
    private void ensureStatement() {
        internalRunning = true;
        StatementSync.ensure(backend(), executor(), statement, new StatementSync.Listener() {
            @Override
            public void ready(ServerStatements.Entry entry) {
                internalRunning = false;
                if (state == State.CLOSED) {
                    releaseAfterClose(false);
                } else if (StatementCommands.bind(ClientSession.this, entry)) {
                    send();
                }
            }

            @Override
            public void refused(ErrPacket error) {
                internalRunning = false;
                if (state == State.CLOSED) {
                    releaseAfterClose(false);
                } else {
                    commandFailedOnServer(error);
                }
            }

            @Override
            public void lost(String why) {
                internalRunning = false;
                lease.discard();
                if (state != State.CLOSED) {
                    moveTo(State.ACQUIRING);
                    lease.retryOrFail(why);
                }
            }
        });
    }

    /** The command could not run on the held connection: the client gets {@code error}, the connection goes on. */
    void commandFailedOnServer(ErrPacket error) {
        releaseCommand();
        statement = null;
        response.takePrepare();
        reply(err(error));
        afterResponse(backend().statusFlags());
    }

    private void send() {
        BackendConnection backend = backend();
        if (!backend.attach(this)) {
            lease.discard();
            moveTo(State.ACQUIRING);
            lease.retryOrFail("the connection closed before the command was sent");
            return;
        }
        moveTo(State.RUNNING);
        if (commandCode == CommandCode.COM_STMT_PREPARE) {
            StatementSync.closeOnServer(backend, backend.statements().makeRoom());
        }
        ExpectedResponse expected = ExpectedResponse.forCommand(commandCode);
        response.begin(backend, expected, Packets.lastSequenceId(command));
        backend.commandSent();
        ByteBuf frames = command;
        command = null;
        backend.write(frames);
        if (expected == ExpectedResponse.NONE) {
            // COM_STMT_SEND_LONG_DATA: no answer; the data waits on this connection for the execute.
            statements.longDataSent(statement.id());
            statement = null;
            afterResponse(status);
        }
    }

    // ---- server side ----

    @Override
    public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
        if (connection != backend() || (state != State.RUNNING && state != State.LOCAL_INFILE)) {
            frame.release();
            return;
        }
        switch (response.onPacket(frame, tracked, status)) {
            case FILE_REQUESTED -> {
                moveTo(State.LOCAL_INFILE);
                client.flush();
            }
            case DONE -> endResponse(connection.tracker());
            case BROKEN -> close("unreadable server response");
            default -> { }
        }
    }

    private void endResponse(ResponseTracker tracker) {
        // Some answers carry no status (COM_STATISTICS, an ERR): the last known one still holds.
        int seen = tracker.status() != ResponseTracker.NO_STATUS ? tracker.status() : backend().statusFlags();
        int finalStatus = tracker.endedWithError() ? MultiplexPolicy.statusAfterError(seen) : seen;
        if (ServerStatus.isInTransaction(status) && !ServerStatus.isInTransaction(finalStatus)) {
            services.stats().transactionEnded();
        }
        if (tracker.endedWithError()) {
            services.stats().serverError(tracker.errorCode());
        }
        services.stats().commandCompleted(System.nanoTime() - commandStartNanos);
        backend().statusFlags(finalStatus);
        status = finalStatus;
        response.finish();
        StatementTraits done = statementDone(finalStatus, tracker.endedWithError());
        PinReason pinBefore = tracked.pin();
        tracked.afterStatement(done, response.failedOutright());
        if (pinBefore == null && tracked.pin() != null) {
            services.sessions().pinned(tracked.pin());
            log.debug("{} pinned to {}: {}", this, backend(), tracked.pin().description());
        }
        if (commandCode == CommandCode.COM_RESET_CONNECTION && !tracker.endedWithError()) {
            tracked.reset();
            statements.clear();
            cursorStatement = -1;
            backend().sessionState().resetVariables();
            backend().statements().clear();
            tracked.trackingMayChange();
        }
        boolean restoreTracking = tracked.takeTrackingChanged();
        boolean readCollation = tracked.takeCollationUnknown();
        if (!restoreTracking && !readCollation) {
            afterResponse(finalStatus);
            return;
        }
        moveTo(State.SYNCING);
        internalRunning = true;
        FollowUps.run(backend(), executor(), tracked, restoreTracking, readCollation, problem -> {
            internalRunning = false;
            if (state == State.CLOSED) {
                releaseAfterClose(false);
            } else if (problem != null) {
                log.warn("{}: {} on {}; closing", this, problem, backend());
                close("server connection unusable");
            } else {
                afterResponse(finalStatus);
            }
        });
    }

    /** What the finished command did to prepared statements; returns the traits to apply (the statement's, for an execute). */
    private StatementTraits statementDone(int finalStatus, boolean failed) {
        PrepareCapture prepared = response.takePrepare();
        ClientStatement target = statement;
        statement = null;
        if (prepared != null) {
            StatementCommands.prepared(this, prepared, failed);
            return StatementTraits.NONE;
        }
        if (target == null) {
            return traits;
        }
        return StatementCommands.executed(this, target, commandCode, finalStatus, failed);
    }

    /** Why the held connection must stay after a response with {@code finalStatus}, or null. */
    private PinReason holdReason(int finalStatus) {
        PinReason hold = tracked.holdFor(finalStatus);
        return hold == null && statements.hasLongDataPending() ? PinReason.LONG_DATA : hold;
    }

    private void afterResponse(int finalStatus) {
        PinReason hold = holdReason(finalStatus);
        if (hold == null && pendingKills == 0) {
            releaseBackend();
        } else if (hold != null) {
            log.debug("{} keeps {}: {}", this, backend(), hold.description());
        }
        moveTo(State.IDLE);
        drive();
    }

    private void releaseBackend() {
        response.resumeServer(backend());
        lease.release();
    }

    @Override
    public void onBackendReadComplete(BackendConnection connection) {
        client.flush();
    }

    @Override
    public void onBackendWritabilityChanged(BackendConnection connection, boolean writable) {
        updateClientReading();
    }

    @Override
    public void onBackendClosed(BackendConnection connection, Throwable cause) {
        if (connection != backend() || state == State.CLOSED) {
            return;
        }
        lease.discard();
        // Mid-response or with server-side state (transaction, pin) the session cannot go on
        // elsewhere: close the client so its driver reports the lost connection itself.
        close("server connection " + connection + " lost" + (cause == null ? "" : ": " + cause.getMessage()));
    }

    // ---- KILL (see SessionKills) ----

    /**
     * Another session wants this one's running statement killed (and the session closed when
     * {@code closeToo}). Returns the server thread to send KILL QUERY to, or -1 when nothing runs;
     * until {@link #killDone()} the connection stays with this session so that no other client's
     * statement can be hit.
     */
    long beginKill(boolean closeToo) {
        boolean running = state == State.RUNNING || state == State.LOCAL_INFILE || state == State.SYNCING;
        if (state == State.CLOSED || backend() == null || !running) {
            if (closeToo) {
                killed();
            }
            return -1;
        }
        pendingKills++;
        closeAfterKill |= closeToo;
        return backend().serverThreadId();
    }

    void killDone() {
        pendingKills--;
        if (pendingKills > 0) {
            return;
        }
        if (closeAfterKill) {
            killed();
        } else if (state == State.IDLE && backend() != null && holdReason(status) == null) {
            releaseBackend();
        }
    }

    private void killed() {
        fail(ErrPacket.of(ErrorCode.ER_CONNECTION_KILLED, "Connection was killed"), 0);
    }

    void killing() {
        moveTo(State.KILLING);
    }

    void killAnswered(ErrPacket error) {
        if (state == State.CLOSED) {
            return;
        }
        reply(error == null ? ok(1) : err(error));
        moveTo(State.IDLE);
        drive();
    }

    // ---- ending ----

    /** Draining for shutdown: a client between commands and outside a transaction is told to go. */
    public void endIfBetweenTransactions() {
        if (isIdle() && (backend() == null || !ServerStatus.isInTransaction(status))) {
            fail(ProxyError.SHUTTING_DOWN.packet(), 1);
        }
    }

    /** COM_QUIT: a proper goodbye. */
    void quit() {
        quit = true;
        close("client quit");
    }

    /** A client-side timeout ({@link SessionWatchdog}): the error, as the answer to the next command, then close. */
    void timedOut(ErrPacket error) {
        fail(error, 1);
    }

    /**
     * The client announced a command larger than allowed. The error goes out only while no response
     * is being relayed (it would land inside one); the connection closes either way.
     */
    public void refuseOversized(ErrPacket error, int sequenceId) {
        services.stats().oversizedPacket();
        if (isIdle()) {
            fail(error, sequenceId);
        } else {
            close("oversized command while another ran: " + error.message());
        }
    }

    /** The client went away or must be dropped. Whatever server connection it held is cleaned or closed. */
    public void close(String reason) {
        if (terminate(reason)) {
            client.close();
        }
    }

    /** Sends a fatal error, then closes. */
    void fail(ErrPacket error, int sequenceId) {
        if (terminate("error " + error.code() + ": " + error.message())) {
            client.writeAndFlush(ClientPackets.err(client.alloc(), sequenceId, error, login.capabilities()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the session's work; false if it had already ended. */
    private boolean terminate(String reason) {
        if (state == State.CLOSED) {
            return false;
        }
        State was = state;
        moveTo(State.CLOSED);
        state = State.CLOSED;
        services.sessions().remove(this);
        services.watchdog().forget(this);
        if (!quit) {
            services.stats().aborted();
        }
        log.debug("{} closed: {}", this, reason);
        inbox.forEach(ByteBuf::release);
        inbox.clear();
        releaseCommand();
        lease.cancel();
        // While an internal command runs, its callback sees CLOSED and returns the connection.
        if (!internalRunning) {
            releaseAfterClose(was == State.RUNNING || was == State.LOCAL_INFILE);
        }
        return true;
    }

    /** Returns the connection of a departed client without leaking what the client left behind. */
    private void releaseAfterClose(boolean midResponse) {
        BackendConnection held = backend();
        lease.releaseAfterClose(midResponse, held == null ? null : holdReason(held.statusFlags()));
    }

    private void releaseCommand() {
        if (command != null) {
            command.release();
            command = null;
        }
        statement = null;
        response.takePrepare();
    }

    void reply(ByteBuf packet) {
        client.write(packet, client.voidPromise());
    }

    ByteBuf err(ErrPacket error) {
        return ClientPackets.err(client.alloc(), 1, error, login.capabilities());
    }

    ByteBuf ok(int sequenceId) {
        return ClientPackets.ok(client.alloc(), sequenceId, OkPacket.of(status), login.capabilities());
    }

    SessionServices services() {
        return services;
    }

    TrackedState tracked() {
        return tracked;
    }

    ClientStatements statements() {
        return statements;
    }

    io.mysqlmux.proxy.backend.BackendPool pool() {
        return lease.pool();
    }

    /** The command waiting to be sent (statement commands rewrite it in place). */
    ByteBuf command() {
        return command;
    }

    void command(ByteBuf replacement) {
        command = replacement;
    }

    CommandCode commandCode() {
        return commandCode;
    }

    ClientStatement statement() {
        return statement;
    }

    void cursorStatement(long id) {
        cursorStatement = id;
    }

    long cursorStatement() {
        return cursorStatement;
    }

    /** Status flags of the last response (autocommit, NO_BACKSLASH_ESCAPES, ...). */
    int status() {
        return status;
    }

    Capability capabilities() {
        return login.capabilities();
    }

    byte[] greetingScramble() {
        return greetingScramble;
    }

    /** The client's address without the port, as the server writes it in "Access denied" errors. */
    String host() {
        return client.remoteAddress() instanceof java.net.InetSocketAddress address
                ? address.getAddress().getHostAddress() : String.valueOf(client.remoteAddress());
    }

    @Override
    public String toString() {
        return "c" + id + " " + user + "@" + client.remoteAddress();
    }
}
