package io.mysqlmux.proxy.relay;

import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.proxy.error.ClientPackets;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.Arrays;

/**
 * Forwards a server's response to the client packet by packet, as it arrives. The server connection
 * negotiated the client's EOF shape (pools are split by it), so result sets, their EOF packets and
 * their status flags pass as the server sent them. What differs is session tracking: the server
 * connection tracks everything and the client only what its own settings ask for
 * ({@link SessionTrackSettings}), so an OK with a session-state block is cut down to that (a client
 * without CLIENT_SESSION_TRACK gets none), and MariaDB's {@code redirect_url} never reaches a client.
 * Packets after one the proxy withheld are renumbered in place. Rows pass through untouched.
 */
public final class ResponseRelay {
    private static final String REDIRECT_URL = "redirect_url";

    private final Channel client;
    private final Capability clientCaps;
    /** The client's trackers; set by the session as they change. */
    private SessionTrackSettings tracking;
    /** The capabilities of the server connection of the current exchange. */
    private Capability serverCaps;
    /** Packets inserted (positive) or withheld (negative) so far in the current exchange. */
    private int shift;
    /** The warning count the terminator of this exchange must carry instead of the server's, or -1. */
    private int warningsOverride = -1;

    public ResponseRelay(Channel client, Capability clientCaps, SessionTrackSettings tracking) {
        this.client = client;
        this.clientCaps = clientCaps;
        this.tracking = tracking;
        this.serverCaps = clientCaps;
    }

    /** A new exchange (command) starts on a connection with {@code serverCaps}: sequence ids line up again. */
    public void begin(Capability serverCaps) {
        if (serverCaps.isDeprecateEof() != clientCaps.isDeprecateEof()) {
            throw new IllegalStateException("server connection (" + serverCaps + ") and client (" + clientCaps
                    + ") differ in CLIENT_DEPRECATE_EOF; pools are split by it");
        }
        this.serverCaps = serverCaps;
        shift = 0;
        warningsOverride = -1;
    }

    /**
     * Writes a packet of the proxy's own ({@code payload}, copied) into the response, in the place of
     * the server packet numbered {@code beforeServerSequenceId}, which moves one on.
     */
    public void insert(byte[] payload, int beforeServerSequenceId) {
        ByteBuf frame = client.alloc().buffer(4 + payload.length);
        frame.writeMediumLE(payload.length).writeByte(toClientSequence(beforeServerSequenceId)).writeBytes(payload);
        client.write(frame, client.voidPromise());
        shift++;
    }

    /** The terminator of this response carries {@code warnings} (the session's, not the connection's). */
    public void overrideWarnings(int warnings) {
        warningsOverride = warnings;
    }

    public SessionTrackSettings tracking() {
        return tracking;
    }

    /** The client's trackers changed (a SET of session_track_*, a reset, another user). */
    public void tracking(SessionTrackSettings settings) {
        tracking = settings;
    }

    /** The client-side sequence id of a server packet. */
    public int toClientSequence(int serverSequenceId) {
        return (serverSequenceId + shift) & 0xFF;
    }

    /** The server-side sequence id of a client packet (LOCAL INFILE data). */
    public int toServerSequence(int clientSequenceId) {
        return (clientSequenceId - shift) & 0xFF;
    }

    /** A server packet was withheld from the client (the proxy answered in its place). */
    public void withheld() {
        shift--;
    }

    /** Forwards {@code frame} (consumed), classified as {@code kind}. */
    public void forward(ByteBuf frame, PacketKind kind) {
        switch (kind) {
            case OK -> forwardOk(frame);
            case TERMINATOR -> {
                boolean eof = isClassicEof(frame);
                if (warningsOverride >= 0) {
                    setWarnings(frame, eof, warningsOverride);
                }
                if (eof) {
                    forwardEof(frame);
                } else {
                    forwardOk(frame);
                }
            }
            case METADATA_EOF -> forwardEof(frame);
            default -> write(frame);
        }
    }

    /**
     * A classic EOF has no room for session state, but MariaDB sets SERVER_SESSION_STATE_CHANGED on
     * it when one of the session's trackers saw a change, with or without CLIENT_SESSION_TRACK. On
     * the server connection transaction tracking alone sets it for every result set in a
     * transaction, which a client sees only if it tracks transactions itself.
     */
    private void forwardEof(ByteBuf frame) {
        int statusIndex = Packets.payloadIndex(frame, 3);
        if (Packets.payloadLength(frame) >= EofPacket.PAYLOAD_LENGTH) {
            int status = frame.getUnsignedShortLE(statusIndex);
            if (ServerStatus.sessionStateChanged(status) && !toldOfEofStateChange(status)) {
                frame.setShortLE(statusIndex, status & ~ServerStatus.SERVER_SESSION_STATE_CHANGED);
            }
        }
        write(frame);
    }

    private boolean toldOfEofStateChange(int status) {
        return !ServerStatus.isInTransaction(status)
                || tracking.transactionInfo() != SessionTrackSettings.TransactionInfo.OFF;
    }

    /** Session state is rare: only an OK that says it has some is decoded (and re-encoded if the client gets less). */
    private void forwardOk(ByteBuf frame) {
        if (!ServerStatus.sessionStateChanged(okStatus(frame))) {
            write(frame);
            return;
        }
        int sequenceId = toClientSequence(Packets.sequenceId(frame));
        OkPacket ok;
        try {
            ok = OkPacket.read(Packets.payload(frame), serverCaps);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        byte[] state = clientCaps.isSessionTrack()
                ? tracking.filter(ok.sessionState(), REDIRECT_URL::equalsIgnoreCase) : null;
        if (state != null && Arrays.equals(state, ok.sessionState())) {
            write(frame);
            return;
        }
        frame.release();
        client.write(ClientPackets.ok(client.alloc(), sequenceId, ok.withSessionState(state), clientCaps),
                client.voidPromise());
    }

    private void write(ByteBuf frame) {
        if (shift != 0) {
            Packets.setSequenceId(frame, toClientSequence(Packets.sequenceId(frame)));
        }
        client.write(frame, client.voidPromise());
    }

    /** Under CLIENT_DEPRECATE_EOF every terminator is an OK; otherwise a 0xFE packet shorter than 9 bytes is an EOF. */
    private boolean isClassicEof(ByteBuf frame) {
        return !serverCaps.isDeprecateEof() && Packets.payloadLength(frame) < 9;
    }

    /** Sets a terminator's warning count in place: EOF (0xFE, warnings, status) or OK-style (after the status). */
    private static void setWarnings(ByteBuf frame, boolean eof, int warnings) {
        if (eof) {
            if (Packets.payloadLength(frame) >= EofPacket.PAYLOAD_LENGTH) {
                frame.setShortLE(Packets.payloadIndex(frame, 1), warnings);
            }
            return;
        }
        int index = Packets.payloadIndex(frame, 1);
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        frame.setShortLE(index + 2, warnings);
    }

    private static int okStatus(ByteBuf frame) {
        int index = Packets.payloadIndex(frame, 1);
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        return frame.getUnsignedShortLE(index);
    }
}
