package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionStateChanges;
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
 * observed (what did the session's state, ROW_COUNT(), FOUND_ROWS(), LAST_INSERT_ID() become?) and
 * relayed to the client in its shape, with the server paused while the client is slow to read.
 */
final class ServerResponse {
    private static final Logger log = LoggerFactory.getLogger(ServerResponse.class);
    private static final String REDIRECT_URL = "redirect_url";

    /** What a packet meant for the session. */
    enum Outcome { MORE, FILE_REQUESTED, DONE, BROKEN }

    private final ClientSession owner;
    private final Channel client;
    private final Capability clientCaps;
    private final ResponseRelay relay;
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
        this.relay = new ResponseRelay(client, clientCaps, BackendConnector.SERVER_SHAPE);
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
        relay.begin();
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
        int status = owner.status();
        forwarded = true;
        lastPacketNanos = System.nanoTime();
        ResponseTracker tracker = backend.tracker();
        PacketKind kind;
        boolean stripRedirect;
        try {
            kind = tracker.onPacket(frame);
            stripRedirect = observe(kind, frame, tracker, tracked);
        } catch (MalformedPacketException e) {
            frame.release();
            log.warn("{}: unreadable server packet from {}: {}\n{}", owner, backend, e.getMessage(), e.hexDump());
            return Outcome.BROKEN;
        }
        if (silent) {
            frame.release();
        } else if (kind == PacketKind.LOCAL_INFILE_REQUEST) {
            if (clientCaps.has(Capability.CLIENT_LOCAL_FILES)) {
                relay.forward(frame, kind, tracker, status);
                localInfile.start();
                return Outcome.FILE_REQUESTED;
            }
            localInfile.refuse(frame, backend, relay);
        } else if (localInfile.isRefusing()) {
            frame.release();
        } else if (stripRedirect) {
            relay.forwardWithoutVariable(frame, REDIRECT_URL);
        } else {
            if (prepare != null && kind != PacketKind.ERR) {
                prepare.packet(frame, kind);
            }
            if (injected != null && kind == PacketKind.TERMINATOR) {
                injectDiagnostics(frame, tracked);
            }
            relay.forward(frame, kind, tracker, backend.statusFlags());
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

    /** Returns true when the packet is an OK whose state block names redirect_url, for a tracking client. */
    private boolean observe(PacketKind kind, ByteBuf frame, ResponseTracker tracker, TrackedState tracked) {
        switch (kind) {
            case COLUMN_COUNT -> {
                anyResult = true;
                tracked.resultSetStarted();
            }
            case ROW -> tracked.rowSeen();
            case TERMINATOR -> {
                tracked.resultSetEnded();
                return observeState(frame, tracker, tracked);
            }
            case OK -> {
                anyResult = true;
                tracked.okSeen(tracker.affectedRows(), tracker.lastInsertId(), backend.sessionState());
                return observeState(frame, tracker, tracked);
            }
            case ERR -> tracked.errorSeen();
            default -> { }
        }
        return false;
    }

    /** Session-state changes ride on OKs; they are rare, so only then is the OK decoded. */
    private boolean observeState(ByteBuf frame, ResponseTracker tracker, TrackedState tracked) {
        if (!ServerStatus.sessionStateChanged(tracker.status())) {
            return false;
        }
        OkPacket ok = OkPacket.read(Packets.payload(frame), backend.capabilities());
        if (ok.sessionState() == null) {
            return false;
        }
        SessionStateChanges changes = SessionStateChanges.parse(ok.sessionState());
        tracked.observe(changes, backend.sessionState());
        return clientCaps.isSessionTrack()
                && changes.systemVariables().stream().anyMatch(v -> v.name().equalsIgnoreCase(REDIRECT_URL));
    }

    /** Relays a cached prepare answer (frames consumed) as if the server had sent it. */
    void replay(java.util.List<ByteBuf> frames, java.util.List<PacketKind> kinds, int status) {
        relay.begin();
        for (int i = 0; i < frames.size(); i++) {
            relay.forward(frames.get(i), kinds.get(i), null, status);
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
