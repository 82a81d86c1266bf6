package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.LoginResult;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendCleanup;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.BackendPool;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.mysqlmux.proxy.backend.LeaseRequester;
import io.mysqlmux.proxy.backend.Waiter;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.relay.ClientPackets;
import io.mysqlmux.proxy.relay.ResponseRelay;
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
 * relays the response as it arrives; at the end of the response the connection goes back to the
 * pool unless a transaction, a cursor or unmovable state holds it ({@link MultiplexPolicy}).
 *
 * <p>Everything here runs on the client channel's event loop.
 */
public final class ClientSession implements LeaseRequester, BackendReceiver {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final int MAX_RETRIES = 2;

    public enum State { IDLE, ACQUIRING, SYNCING, RUNNING, LOCAL_INFILE, CLOSED }

    private final long id;
    private final Channel client;
    private final LoginResult login;
    private final BackendPool pool;
    private final SchemaCheck schemaCheck;
    private final int maxPipelined;
    private final ResponseRelay relay;
    private final TrackedState tracked;
    private final LocalInfile localInfile = new LocalInfile();
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();

    private State state = State.IDLE;
    private ByteBuf command;
    private CommandCode commandCode;
    private BackendConnection backend;
    private Waiter waiter;
    private int status;
    private int retries;
    private boolean serverPaused;
    /** An internal command (state sync, tracking restore) is running on {@link #backend}. */
    private boolean internalRunning;

    public ClientSession(long id, Channel client, LoginResult login, BackendPool pool, SchemaCheck schemaCheck,
                         TrackedState tracked, int statusFlags, int maxPipelined) {
        this.id = id;
        this.client = client;
        this.login = login;
        this.pool = pool;
        this.schemaCheck = schemaCheck;
        this.tracked = tracked;
        this.status = statusFlags;
        this.maxPipelined = maxPipelined;
        this.relay = new ResponseRelay(client, login.capabilities(), BackendConnector.SERVER_SHAPE);
    }

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    public String user() {
        return login.user();
    }

    public PinReason pin() {
        return tracked.pin();
    }

    @Override
    public EventExecutor executor() {
        return client.eventLoop();
    }

    /** Sends the login OK, after making sure the schema named at login exists if nobody did yet. */
    public void start(int okSequenceId) {
        String schema = tracked.wanted().schema();
        if (schema == null || schemaCheck.isKnown(schema)) {
            client.writeAndFlush(loginOk(okSequenceId), client.voidPromise());
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

    /** True while the client streams a file for LOAD DATA LOCAL INFILE (its packets are not commands). */
    public boolean isReceivingFile() {
        return state == State.LOCAL_INFILE;
    }

    /** One packet of the file the client streams (consumed). */
    public void onFileData(ByteBuf frame) {
        if (localInfile.forward(frame, backend, relay)) {
            state = State.RUNNING;
        }
        updateClientReading();
    }

    public void onClientWritabilityChanged() {
        if (client.isWritable() && serverPaused && backend != null) {
            serverPaused = false;
            backend.autoRead(true);
        }
    }

    private void drive() {
        while (state == State.IDLE && !inbox.isEmpty() && !schemaCheck.isRunning()) {
            run(inbox.poll());
        }
        updateClientReading();
        client.flush();
    }

    private void updateClientReading() {
        boolean read = state != State.CLOSED && inbox.size() < maxPipelined
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
        switch (CommandRoute.of(code)) {
            case FORWARD:
                forward(frames, code);
                break;
            case PING:
                if (backend != null) {
                    forward(frames, code);
                } else {
                    frames.release();
                    reply(ClientPackets.ok(client.alloc(), 1, OkPacket.of(status), login.capabilities()));
                }
                break;
            case QUIT:
                frames.release();
                close("client quit");
                break;
            case SET_OPTION:
                setOption(frames);
                break;
            case RESET_CONNECTION:
                resetConnection(frames, code);
                break;
            case SILENT:
                frames.release();
                break;
            case REFUSE_PREPARE:
                frames.release();
                reply(err(ProxyError.PREPARED_STATEMENTS_UNSUPPORTED.packet()));
                break;
            case UNKNOWN_STATEMENT:
                long statementId = frames.readableBytes() >= 9 ? frames.getUnsignedIntLE(Packets.payloadIndex(frames, 1)) : 0;
                frames.release();
                reply(err(ErrPacket.of(ErrorCode.ER_UNKNOWN_STMT_HANDLER, "Unknown prepared statement handler ("
                        + statementId + ") given to " + code)));
                break;
            default:
                String name = code == CommandCode.UNKNOWN
                        ? "command byte 0x" + Integer.toHexString(Packets.firstByte(frames)) : code.name();
                frames.release();
                reply(err(ProxyError.UNSUPPORTED_COMMAND.packet(name)));
        }
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
        reply(ClientPackets.ok(client.alloc(), 1, OkPacket.of(status), login.capabilities()));
    }

    private void forward(ByteBuf frames, CommandCode code) {
        command = frames;
        commandCode = code;
        retries = 0;
        if (code == CommandCode.COM_QUERY && StatementText.mentionsSessionTracking(frames)) {
            tracked.trackingMayChange();
        }
        if (backend != null) {
            sync();
        } else {
            acquire();
        }
    }

    // ---- lease ----

    private void acquire() {
        state = State.ACQUIRING;
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
        releaseCommand();
        reply(err(error));
        state = State.IDLE;
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
        List<StateSync.Step> steps = StateSync.steps(backend.sessionState(), tracked.wanted(),
                ServerStatus.noBackslashEscapes(backend.statusFlags()));
        if (steps.isEmpty()) {
            synced();
            return;
        }
        state = State.SYNCING;
        runStep(steps, 0);
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
            client.write(loginOk(schemaCheck.okSequenceId()), client.voidPromise());
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
        state = State.RUNNING;
        relay.begin();
        backend.tracker().start(ExpectedResponse.forCommand(commandCode), Packets.lastSequenceId(command));
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
        ResponseTracker tracker = connection.tracker();
        PacketKind kind;
        try {
            kind = tracker.onPacket(frame);
            if (kind == PacketKind.OK || kind == PacketKind.TERMINATOR) {
                observe(frame);
            }
        } catch (MalformedPacketException e) {
            frame.release();
            log.warn("{}: unreadable server packet from {}: {}\n{}", this, connection, e.getMessage(), e.hexDump());
            close("unreadable server response");
            return;
        }
        if (kind == PacketKind.LOCAL_INFILE_REQUEST) {
            localInfileRequested(frame);
        } else if (localInfile.isRefusing()) {
            frame.release();
        } else {
            relay.forward(frame, kind, tracker, backend.statusFlags());
        }
        if (!client.isWritable() && !serverPaused) {
            serverPaused = true;
            connection.autoRead(false);
        }
        if (tracker.isDone()) {
            endResponse(tracker);
        }
    }

    /** Session-state changes ride on OKs; they are rare, so only then is the OK decoded. */
    private void observe(ByteBuf frame) {
        if (!ServerStatus.sessionStateChanged(backend.tracker().status())) {
            return;
        }
        OkPacket ok = OkPacket.read(Packets.payload(frame), backend.capabilities());
        if (ok.sessionState() != null) {
            tracked.observe(SessionStateChanges.parse(ok.sessionState()), backend.sessionState());
        }
    }

    private void localInfileRequested(ByteBuf frame) {
        if (login.capabilities().has(Capability.CLIENT_LOCAL_FILES)) {
            relay.forward(frame, PacketKind.LOCAL_INFILE_REQUEST, backend.tracker(), status);
            localInfile.start();
            state = State.LOCAL_INFILE;
            client.flush();
        } else {
            localInfile.refuse(frame, backend, relay);
        }
    }

    private void endResponse(ResponseTracker tracker) {
        // Some answers carry no status (COM_STATISTICS, an ERR): the last known one still holds.
        int seen = tracker.status() != ResponseTracker.NO_STATUS ? tracker.status() : backend.statusFlags();
        int finalStatus = tracker.endedWithError() ? MultiplexPolicy.statusAfterError(seen) : seen;
        backend.statusFlags(finalStatus);
        status = finalStatus;
        if (localInfile.isRefusing()) {
            reply(ClientPackets.err(client.alloc(), localInfile.endRefusal(),
                    ProxyError.LOCAL_INFILE_NOT_NEGOTIATED.packet(), login.capabilities()));
        }
        if (commandCode == CommandCode.COM_RESET_CONNECTION && !tracker.endedWithError()) {
            tracked.reset();
            backend.sessionState().resetVariables();
            tracked.trackingMayChange();
        }
        if (tracked.takeTrackingChanged()) {
            state = State.SYNCING;
            internalRunning = true;
            BackendCleanup.restoreTracking(backend, executor(), (connection, result) -> {
                internalRunning = false;
                if (state == State.CLOSED) {
                    releaseAfterClose(connection, State.IDLE);
                } else if (!result.succeeded()) {
                    log.warn("{}: restoring session tracking on {} failed ({}); closing", this, connection,
                            result.problem());
                    close("server connection unusable");
                } else {
                    afterResponse(finalStatus);
                }
            });
            return;
        }
        afterResponse(finalStatus);
    }

    private void afterResponse(int finalStatus) {
        PinReason hold = tracked.holdFor(finalStatus);
        if (hold == null) {
            releaseBackend();
        } else {
            log.debug("{} keeps {}: {}", this, backend, hold.description());
        }
        state = State.IDLE;
        drive();
    }

    private void releaseBackend() {
        BackendConnection connection = backend;
        backend = null;
        if (serverPaused) {
            serverPaused = false;
            connection.autoRead(true);
        }
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
        state = State.CLOSED;
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

    private void reply(ByteBuf packet) {
        client.write(packet, client.voidPromise());
    }

    private ByteBuf err(ErrPacket error) {
        return ClientPackets.err(client.alloc(), 1, error, login.capabilities());
    }

    private ByteBuf loginOk(int sequenceId) {
        return ClientPackets.ok(client.alloc(), sequenceId, OkPacket.of(status), login.capabilities());
    }

    @Override
    public String toString() {
        return "c" + id + " " + login.user() + "@" + client.remoteAddress();
    }
}
