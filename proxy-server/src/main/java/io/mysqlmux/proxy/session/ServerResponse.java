package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.error.ClientPackets;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.relay.ResponseRelay;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The server's answer to one command of a session: each packet is tracked (where does it end?),
 * observed (what did the session's state, ROW_COUNT(), FOUND_ROWS(), LAST_INSERT_ID() and its own
 * session trackers become?) and relayed to the client in its shape, with the server paused while
 * the client is slow to read.
 */
final class ServerResponse {
    private static final Logger log = LoggerFactory.getLogger(ServerResponse.class);
    /**
     * What a classic EOF with SERVER_SESSION_STATE_CHANGED outside a transaction tells: something
     * tracked changed (a stored function's SET in a SELECT), and the EOF has no room to say what.
     */
    private static final SessionStateChanges UNSEEN_CHANGE = new SessionStateChanges(List.of(), null, true,
            null, null, List.of());

    /** What a packet meant for the session. */
    enum Outcome { MORE, FILE_REQUESTED, DONE, BROKEN }

    private final ClientSession owner;
    private final Channel client;
    private final Capability clientCaps;
    private final ResponseRelay relay;
    /** The client's trackers after login and after a reset (the server's globals when the proxy first connected). */
    private final SessionTrackSettings initialTracking;
    private final LocalInfile localInfile = new LocalInfile();
    private BackendConnection backend;
    private boolean serverPaused;
    private boolean anyResult;
    /** Some packet of this response reached the client (an error can no longer stand in for it). */
    private boolean forwarded;
    /** When the last packet came (or the command went out): the stall check reads it from the watchdog. */
    private long lastPacketNanos;
    private boolean stallCheckRunning;
    private PrepareCapture prepare;
    private List<byte[]> injected;
    private boolean silent;

    ServerResponse(ClientSession owner, Channel client, Capability clientCaps) {
        this.owner = owner;
        this.client = client;
        this.clientCaps = clientCaps;
        this.initialTracking = owner.services().serverInfo().sessionTracking();
        this.relay = new ResponseRelay(client, clientCaps, initialTracking);
    }

    /** The session trackers the client has set (what its OK packets report). */
    SessionTrackSettings tracking() {
        return relay.tracking();
    }

    /**
     * The connection's tracker settings, read after a client statement that may have changed them:
     * what differs from the proxy's own settings is the client's.
     */
    void trackingRead(SessionTrackSettings read) {
        relay.tracking(relay.tracking().merged(read, BackendConnector.TRACKING));
    }

    /** The OK that ends a login into {@code schema}, with the session state MariaDB reports then to a tracking client. */
    ByteBuf loginOk(int sequenceId, int status, String schema) {
        OkPacket ok = OkPacket.of(status).withSessionState(relay.tracking().loginState(schema));
        return ClientPackets.ok(client.alloc(), sequenceId, ok, clientCaps);
    }

    /** COM_RESET_CONNECTION or COM_CHANGE_USER: the trackers are back to their defaults. */
    void resetTracking() {
        relay.tracking(initialTracking);
    }

    /**
     * The command is about to be written to {@code connection}.
     *
     * @param capture  where a COM_STMT_PREPARE's answer is copied as it is relayed, or null
     * @param injected the session's own diagnostics rows, put before the terminator of the server's
     *                 empty SHOW WARNINGS answer, or null
     * @param silent   the proxy's own command: nothing of the answer reaches the client
     */
    void begin(BackendConnection connection, ExpectedResponse expected, int lastSequenceId, PrepareCapture capture,
               List<byte[]> injected, boolean silent) {
        backend = connection;
        anyResult = false;
        forwarded = false;
        lastPacketNanos = System.nanoTime();
        prepare = capture;
        this.injected = injected;
        this.silent = silent;
        relay.begin(connection.capabilities());
        connection.tracker().start(expected, lastSequenceId);
    }

    /**
     * Forwards one packet of the client's LOCAL INFILE file (consumed) to {@code connection}, or drops
     * it when the session no longer holds one. Returns true at the end of the file.
     */
    boolean forwardFile(ByteBuf frame, BackendConnection connection) {
        return localInfile.forward(frame, connection, relay);
    }

    Outcome onPacket(ByteBuf frame, TrackedState tracked) {
        lastPacketNanos = System.nanoTime();
        ResponseTracker tracker = backend.tracker();
        PacketKind kind;
        try {
            kind = tracker.onPacket(frame);
            observe(kind, frame, tracker, tracked);
        } catch (MalformedPacketException e) {
            forwarded = true;
            frame.release();
            log.warn("{}: unreadable server packet from {}: {}\n{}", owner, backend, e.getMessage(), e.hexDump());
            return Outcome.BROKEN;
        }
        if (kind == PacketKind.PROGRESS && !clientCaps.has(Capability.MARIADB_CLIENT_PROGRESS)) {
            // Server connections always ask for progress reports; only clients that did get them.
            frame.release();
            relay.withheld();
            return Outcome.MORE;
        }
        forwarded = true;
        if (silent) {
            frame.release();
        } else if (kind == PacketKind.LOCAL_INFILE_REQUEST) {
            if (clientCaps.has(Capability.CLIENT_LOCAL_FILES)) {
                relay.forward(frame, kind);
                localInfile.start();
                return Outcome.FILE_REQUESTED;
            }
            localInfile.refuse(frame, backend, relay);
        } else if (localInfile.isRefusing()) {
            frame.release();
        } else {
            if (prepare != null && kind != PacketKind.ERR && kind != PacketKind.PROGRESS) {
                prepare.packet(frame, kind);
            }
            if (injected != null && kind == PacketKind.TERMINATOR) {
                injectDiagnostics(frame, tracked);
            }
            relay.forward(frame, kind);
        }
        if (!client.isWritable() && !serverPaused) {
            serverPaused = true;
            backend.autoRead(false);
        }
        return tracker.isDone() ? Outcome.DONE : Outcome.MORE;
    }

    /** The session's copied rows go in before the terminator, which then counts the session's warnings. */
    private void injectDiagnostics(ByteBuf terminator, TrackedState tracked) {
        for (byte[] row : injected) {
            relay.insert(row, Packets.sequenceId(terminator));
        }
        relay.overrideWarnings((int) Math.min(0xFFFF, tracked.diagnostics().warningCount()));
        injected = null;
    }

    private void observe(PacketKind kind, ByteBuf frame, ResponseTracker tracker, TrackedState tracked) {
        switch (kind) {
            case COLUMN_COUNT -> {
                anyResult = true;
                tracked.resultSetStarted();
            }
            case ROW -> tracked.rowSeen();
            case TERMINATOR -> {
                tracked.resultSetEnded();
                observeState(frame, tracker, tracked);
            }
            case OK -> {
                anyResult = true;
                tracked.okSeen(tracker.affectedRows(), tracker.lastInsertId(), backend.sessionState());
                observeState(frame, tracker, tracked);
            }
            case ERR -> tracked.errorSeen();
            default -> { }
        }
    }

    /**
     * Session-state changes ride on OKs; they are rare, so only then is the OK decoded. A connection
     * without DEPRECATE_EOF ends result sets with an EOF, which can only flag a change: outside a
     * transaction (where transaction tracking flags every result set) that pins the session.
     */
    private void observeState(ByteBuf frame, ResponseTracker tracker, TrackedState tracked) {
        int status = tracker.status();
        if (!ServerStatus.sessionStateChanged(status)) {
            return;
        }
        if (!backend.capabilities().isDeprecateEof() && Packets.payloadLength(frame) <= EofPacket.PAYLOAD_LENGTH) {
            if (!ServerStatus.isInTransaction(status)) {
                tracked.observe(UNSEEN_CHANGE, backend.sessionState());
            }
            return;
        }
        OkPacket ok = OkPacket.read(Packets.payload(frame), backend.capabilities());
        if (ok.sessionState() == null) {
            return;
        }
        SessionStateChanges changes = SessionStateChanges.parse(ok.sessionState());
        tracked.observe(changes, backend.sessionState());
        for (SessionStateChanges.Variable variable : changes.systemVariables()) {
            relay.tracking(relay.tracking().with(variable.name(), variable.value()));
        }
    }

    /** Relays a cached prepare answer (frames consumed) as if the server had sent it. */
    void replay(List<ByteBuf> frames, List<PacketKind> kinds) {
        relay.begin(clientCaps);
        for (int i = 0; i < frames.size(); i++) {
            relay.forward(frames.get(i), kinds.get(i));
        }
    }

    /** The response ended: a refused LOCAL INFILE gets the client its error now. */
    void finish() {
        prepare = null;
        injected = null;
        if (localInfile.isRefusing()) {
            client.write(ClientPackets.err(client.alloc(), localInfile.endRefusal(),
                    ProxyError.LOCAL_INFILE_NOT_NEGOTIATED.packet(), clientCaps), client.voidPromise());
        }
    }

    boolean forwardedAny() {
        return forwarded;
    }

    long lastPacketNanos() {
        return lastPacketNanos;
    }

    boolean stallCheckRunning() {
        return stallCheckRunning;
    }

    void stallCheckStarted() {
        stallCheckRunning = true;
    }

    /** The check is over; the next one waits a whole limit again. */
    void stallCheckDone() {
        stallCheckRunning = false;
        lastPacketNanos = System.nanoTime();
    }

    /** True when the answer was a lone ERR: the statement did nothing. */
    boolean failedOutright() {
        return !anyResult && backend.tracker().endedWithError();
    }

    /** Lets the server connection be read again (the client caught up, or the connection goes back). */
    void resumeServer(BackendConnection connection) {
        if (serverPaused && connection != null) {
            serverPaused = false;
            connection.autoRead(true);
        }
    }
}
