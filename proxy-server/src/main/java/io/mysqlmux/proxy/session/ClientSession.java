package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComChangeUser;
import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.LoginResult;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendCleanup;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendPool;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.mysqlmux.proxy.backend.BackendSchemaReset;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.mysqlmux.proxy.backend.LeaseRequester;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.backend.Waiter;
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
import java.util.List;

/**
 * One client connection after login. Its commands form a queue answered in order (clients may
 * pipeline). A command that needs the server borrows a server connection from the pool, brings that
 * connection's session state in line with this session's ({@link StateSync}), sends the command and
 * has the response relayed as it arrives ({@link ServerResponse}); at the end the connection goes
 * back to the pool unless a transaction, a cursor or unmovable state holds it ({@link MultiplexPolicy}).
 *
 * <p>Everything here runs on the client channel's event loop.
 */
public final class ClientSession implements LeaseRequester, BackendReceiver {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final int MAX_RETRIES = 2;

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

    private State state = State.IDLE;
    private long stateSinceNanos = System.nanoTime();
    private String user;
    private BackendPool pool;
    private volatile TrackedState tracked;
    private ByteBuf command;
    private CommandCode commandCode;
    private StatementTraits traits = StatementTraits.NONE;
    private String lastStatement;
    private BackendConnection backend;
    private BackendConnection lastBackend;
    private Waiter waiter;
    private int status;
    private int retries;
    /** An internal command (state sync, follow-up) is running on {@link #backend}. */
    private boolean internalRunning;
    private ChangeUserExchange changeUser;
    /** KILLs of this session's running statement still in flight: the connection must not move meanwhile. */
    private int pendingKills;
    private boolean closeAfterKill;

    public ClientSession(long id, Channel client, LoginResult login, byte[] greetingScramble, SessionServices services,
                         TrackedState tracked, int statusFlags) {
        this.id = id;
        this.client = client;
        this.login = login;
        this.greetingScramble = greetingScramble;
        this.services = services;
        this.user = login.user();
        this.pool = services.pools().pool(services.users().get(user), login.capabilities().has(
                io.mysqlmux.protocol.wire.Capability.CLIENT_FOUND_ROWS));
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

    public PinReason pin() {
        return tracked.pin();
    }

    /** The server connection held right now, or null. */
    public BackendConnection backend() {
        return backend;
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

    @Override
    public BackendConnection preferred() {
        return lastBackend;
    }

    @Override
    public SessionState wantedState() {
        return tracked.wanted();
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
            changeUserAnswered(frame);
            return;
        }
        if (response.localInfile().forward(frame, backend, response.relay())) {
            moveTo(State.RUNNING);
        }
        updateClientReading();
    }

    public void onClientWritabilityChanged() {
        if (client.isWritable()) {
            response.resumeServer(backend);
        }
    }

    void drive() {
        while (state == State.IDLE && !inbox.isEmpty() && !schemaCheck.isRunning()) {
            run(inbox.poll());
        }
        updateClientReading();
        client.flush();
    }

    private void updateClientReading() {
        boolean read = state != State.CLOSED && inbox.size() < services.config().client().maxPipelinedCommands()
                && (state != State.LOCAL_INFILE || backend == null || backend.isWritable());
        if (client.config().isAutoRead() != read) {
            client.config().setAutoRead(read);
        }
    }

    private void run(ByteBuf frames) {
        int sequenceId = Packets.sequenceId(frames);
        CommandCode code = CommandCode.of(Packets.firstByte(frames));
        if (sequenceId != 0) {
            frames.release();
            fail(ProxyError.PACKETS_OUT_OF_ORDER.packet(sequenceId), sequenceId + 1);
            return;
        }
        traits = StatementTraits.NONE;
        switch (CommandRoute.of(code)) {
            case FORWARD -> forward(frames, code);
            case QUERY -> query(frames);
            case PING -> {
                if (backend != null) {
                    forward(frames, code);
                } else {
                    frames.release();
                    reply(ok(1));
                }
            }
            case QUIT -> {
                frames.release();
                close("client quit");
            }
            case SET_OPTION -> setOption(frames);
            case RESET_CONNECTION -> resetConnection(frames, code);
            case CHANGE_USER -> changeUser(frames);
            case PROCESS_KILL -> processKill(frames);
            case SILENT -> frames.release();
            case REFUSE_PREPARE -> {
                frames.release();
                reply(err(ProxyError.PREPARED_STATEMENTS_UNSUPPORTED.packet()));
            }
            case UNKNOWN_STATEMENT -> {
                long statementId = frames.readableBytes() >= 9 ? frames.getUnsignedIntLE(Packets.payloadIndex(frames, 1)) : 0;
                frames.release();
                reply(err(ErrPacket.of(ErrorCode.ER_UNKNOWN_STMT_HANDLER, "Unknown prepared statement handler ("
                        + statementId + ") given to " + code)));
            }
            default -> {
                String name = code == CommandCode.UNKNOWN
                        ? "command byte 0x" + Integer.toHexString(Packets.firstByte(frames)) : code.name();
                frames.release();
                reply(err(ProxyError.UNSUPPORTED_COMMAND.packet(name)));
            }
        }
    }

    /** COM_QUERY: the lexer looks for what tracking cannot see, and the session's own values go in. */
    private void query(ByteBuf frames) {
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

    private void setOption(ByteBuf frames) {
        try {
            ComSetOption option = ComSetOption.read(Packets.payload(frames));
            tracked.wanted().multiStatements(option.multiStatements());
            reply(ClientPackets.endOfData(client.alloc(), 1, 0, status, login.capabilities()));
        } catch (MalformedPacketException e) {
            reply(err(ProxyError.MALFORMED_PACKET.packet(e.getMessage())));
        } finally {
            frames.release();
        }
    }

    /** Held connection: the server resets it (and the response is relayed). Otherwise only the wish changes. */
    private void resetConnection(ByteBuf frames, CommandCode code) {
        if (backend != null) {
            forward(frames, code);
            return;
        }
        frames.release();
        tracked.reset();
        reply(ok(1));
    }

    private void processKill(ByteBuf frames) {
        long target = frames.readableBytes() >= 9 ? frames.getUnsignedIntLE(Packets.payloadIndex(frames, 1)) : -1;
        frames.release();
        SessionKills.kill(this, new StatementTraits.KillStatement(false, target, target >= 0));
    }

    /** Runs a command on a server connection: this session's held one, or a borrowed one. */
    void forward(ByteBuf frames, CommandCode code) {
        command = frames;
        commandCode = code;
        retries = 0;
        if (backend != null) {
            sync();
        } else {
            acquire();
        }
    }

    // ---- COM_CHANGE_USER ----

    private void changeUser(ByteBuf frames) {
        ComChangeUser request;
        try {
            request = ComChangeUser.read(Packets.payload(frames), login.capabilities());
        } catch (MalformedPacketException e) {
            frames.release();
            fail(ProxyError.MALFORMED_PACKET.packet(e.getMessage()), 1);
            return;
        }
        frames.release();
        changeUser = new ChangeUserExchange(request, services.users());
        if (changeUser.acceptedAtOnce(greetingScramble)) {
            changeUserAccepted(1);
            return;
        }
        moveTo(State.AUTH_SWITCH);
        client.writeAndFlush(PacketEncoder.encode(client.alloc(), 1, changeUser.switchRequest(services.random())::write),
                client.voidPromise());
    }

    private void changeUserAnswered(ByteBuf frame) {
        int sequenceId = Packets.sequenceId(frame);
        byte[] token = io.netty.buffer.ByteBufUtil.getBytes(Packets.payload(frame));
        frame.release();
        if (!changeUser.acceptsSwitchResponse(token)) {
            fail(ErrPacket.of(ErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + changeUser.request().user()
                    + "'@'" + address() + "' (using password: " + (token.length == 0 ? "NO" : "YES") + ")"), sequenceId + 1);
            return;
        }
        moveTo(State.IDLE);
        changeUserAccepted(sequenceId + 1);
    }

    /** The session starts over as the new user: what it held is cleaned, then its schema is checked. */
    private void changeUserAccepted(int okSequenceId) {
        ComChangeUser request = changeUser.request();
        changeUser = null;
        if (backend != null) {
            BackendConnection held = backend;
            backend = null;
            held.detach();
            BackendCleanup.resetThenRelease(held);
        }
        user = request.user();
        pool = services.pools().pool(services.users().get(user), pool.key().foundRows());
        int collation = request.collation() >= 0 ? request.collation() : login.collation();
        SessionState initial = new SessionState(request.schema(), services.serverInfo().collations()
                .handshakeVariables(collation, services.serverInfo().defaultCollation()),
                tracked.wanted().multiStatements());
        tracked = new TrackedState(initial);
        lastBackend = null;
        log.debug("{} changed user", this);
        if (request.schema() == null || schemaCheck.isKnown(request.schema())) {
            reply(ok(okSequenceId));
            return;
        }
        schemaCheck.begin(okSequenceId);
        acquire();
    }

    // ---- lease ----

    private void acquire() {
        moveTo(State.ACQUIRING);
        waiter = pool.acquire(this);
    }

    @Override
    public void onLeased(BackendConnection connection) {
        waiter = null;
        if (state == State.CLOSED) {
            pool.release(connection);
            return;
        }
        if (!connection.attach(this)) {
            pool.discard(connection);
            retryOrFail("the connection closed while idle");
            return;
        }
        backend = connection;
        sync();
    }

    @Override
    public void onLeaseFailed(ErrPacket error) {
        waiter = null;
        if (state == State.CLOSED) {
            return;
        }
        if (schemaCheck.isRunning()) {
            fail(error, schemaCheck.okSequenceId());
            return;
        }
        commandFailed(error);
    }

    /** The command could not run: the client gets {@code error} as its answer. */
    void commandFailed(ErrPacket error) {
        releaseCommand();
        reply(err(error));
        moveTo(State.IDLE);
        drive();
    }

    private void retryOrFail(String why) {
        if (++retries <= MAX_RETRIES) {
            acquire();
            return;
        }
        onLeaseFailed(ProxyError.SERVER_CONNECTION_LOST.packet(why));
    }

    // ---- state sync ----

    private void sync() {
        moveTo(State.SYNCING);
        if (StateSync.needsSchemaCleared(backend.sessionState(), tracked.wanted())) {
            internalRunning = true;
            BackendSchemaReset.run(backend, executor(), this::afterSchemaCleared);
            return;
        }
        List<StateSync.Step> steps = StateSync.steps(backend.sessionState(), tracked.wanted(),
                ServerStatus.noBackslashEscapes(backend.statusFlags()));
        if (steps.isEmpty()) {
            synced();
            return;
        }
        runStep(steps, 0);
    }

    private void afterSchemaCleared(BackendConnection connection, InternalCommand.Result result) {
        internalRunning = false;
        if (state == State.CLOSED) {
            releaseAfterClose(connection, State.IDLE);
        } else if (!result.succeeded()) {
            log.info("{}: resetting {} to no schema failed ({}); closing it", this, connection, result.problem());
            backend = null;
            pool.discard(connection);
            retryOrFail(result.problem());
        } else {
            sync();
        }
    }

    private void runStep(List<StateSync.Step> steps, int index) {
        StateSync.Step step = steps.get(index);
        log.debug("{} on {}: {}", this, backend, step.description());
        internalRunning = true;
        InternalCommand.run(backend, executor(), step.command(), ExpectedResponse.RESULT, false,
                (connection, result) -> {
                    internalRunning = false;
                    if (state == State.CLOSED) {
                        releaseAfterClose(connection, State.IDLE);
                    } else if (result.failure() != null) {
                        backend = null;
                        pool.discard(connection);
                        retryOrFail(result.failure().toString());
                    } else if (result.error() != null) {
                        syncRefused(result.error());
                    } else {
                        step.apply(connection.sessionState());
                        if (index + 1 < steps.size()) {
                            runStep(steps, index + 1);
                        } else {
                            synced();
                        }
                    }
                });
    }

    /** The server refused to take this session's state (unknown schema, bad variable value). */
    private void syncRefused(ErrPacket error) {
        if (schemaCheck.isRunning()) {
            fail(error, schemaCheck.okSequenceId());
            return;
        }
        releaseCommand();
        reply(err(error));
        afterResponse(backend.statusFlags());
    }

    private void synced() {
        if (schemaCheck.isRunning()) {
            schemaCheck.passed(tracked.wanted().schema());
            client.write(ok(schemaCheck.okSequenceId()), client.voidPromise());
            afterResponse(backend.statusFlags());
            return;
        }
        send();
    }

    private void send() {
        if (!backend.attach(this)) {
            BackendConnection lost = backend;
            backend = null;
            pool.discard(lost);
            retryOrFail("the connection closed before the command was sent");
            return;
        }
        moveTo(State.RUNNING);
        response.begin(backend, ExpectedResponse.forCommand(commandCode), Packets.lastSequenceId(command));
        backend.commandSent();
        ByteBuf frames = command;
        command = null;
        backend.write(frames);
    }

    // ---- server side ----

    @Override
    public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
        if (connection != backend || (state != State.RUNNING && state != State.LOCAL_INFILE)) {
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
        int seen = tracker.status() != ResponseTracker.NO_STATUS ? tracker.status() : backend.statusFlags();
        int finalStatus = tracker.endedWithError() ? MultiplexPolicy.statusAfterError(seen) : seen;
        backend.statusFlags(finalStatus);
        status = finalStatus;
        response.finish();
        PinReason pinBefore = tracked.pin();
        tracked.afterStatement(traits, response.failedOutright());
        if (pinBefore == null && tracked.pin() != null) {
            services.sessions().pinned(tracked.pin());
            log.debug("{} pinned to {}: {}", this, backend, tracked.pin().description());
        }
        if (commandCode == CommandCode.COM_RESET_CONNECTION && !tracker.endedWithError()) {
            tracked.reset();
            backend.sessionState().resetVariables();
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
        FollowUps.run(backend, executor(), tracked, restoreTracking, readCollation, problem -> {
            internalRunning = false;
            if (state == State.CLOSED) {
                releaseAfterClose(backend, State.IDLE);
            } else if (problem != null) {
                log.warn("{}: {} on {}; closing", this, problem, backend);
                close("server connection unusable");
            } else {
                afterResponse(finalStatus);
            }
        });
    }

    private void afterResponse(int finalStatus) {
        PinReason hold = tracked.holdFor(finalStatus);
        if (hold == null && pendingKills == 0) {
            releaseBackend();
        } else if (hold != null) {
            log.debug("{} keeps {}: {}", this, backend, hold.description());
        }
        moveTo(State.IDLE);
        drive();
    }

    private void releaseBackend() {
        BackendConnection connection = backend;
        backend = null;
        lastBackend = connection;
        response.resumeServer(connection);
        pool.release(connection);
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
        if (connection != backend || state == State.CLOSED) {
            return;
        }
        backend = null;
        pool.discard(connection);
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
        if (state == State.CLOSED || backend == null || !running) {
            if (closeToo) {
                killed();
            }
            return -1;
        }
        pendingKills++;
        closeAfterKill |= closeToo;
        return backend.serverThreadId();
    }

    void killDone() {
        pendingKills--;
        if (pendingKills > 0) {
            return;
        }
        if (closeAfterKill) {
            killed();
        } else if (state == State.IDLE && backend != null && tracked.holdFor(status) == null) {
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

    /** The client went away or must be dropped. Whatever server connection it held is cleaned or closed. */
    public void close(String reason) {
        if (terminate(reason)) {
            client.close();
        }
    }

    /** Sends a fatal error, then closes. */
    private void fail(ErrPacket error, int sequenceId) {
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
        log.debug("{} closed: {}", this, reason);
        inbox.forEach(ByteBuf::release);
        inbox.clear();
        releaseCommand();
        if (waiter != null) {
            pool.cancel(waiter);
            waiter = null;
        }
        // While an internal command runs, its callback sees CLOSED and returns the connection.
        if (backend != null && !internalRunning) {
            releaseAfterClose(backend, was);
        }
        return true;
    }

    /** Returns the connection of a departed client without leaking what the client left behind. */
    private void releaseAfterClose(BackendConnection connection, State was) {
        backend = null;
        if (was == State.RUNNING || was == State.LOCAL_INFILE) {
            pool.discard(connection);
            return;
        }
        connection.detach();
        connection.autoRead(true);
        PinReason hold = tracked.holdFor(connection.statusFlags());
        if (hold == null) {
            pool.release(connection);
        } else if (hold == PinReason.TRANSACTION) {
            BackendCleanup.rollbackThenRelease(connection);
        } else {
            BackendCleanup.resetThenRelease(connection);
        }
    }

    private void releaseCommand() {
        if (command != null) {
            command.release();
            command = null;
        }
    }

    void reply(ByteBuf packet) {
        client.write(packet, client.voidPromise());
    }

    ByteBuf err(ErrPacket error) {
        return ClientPackets.err(client.alloc(), 1, error, login.capabilities());
    }

    private ByteBuf ok(int sequenceId) {
        return ClientPackets.ok(client.alloc(), sequenceId, OkPacket.of(status), login.capabilities());
    }

    SessionServices services() {
        return services;
    }

    @Override
    public String toString() {
        return "c" + id + " " + user + "@" + client.remoteAddress();
    }
}
