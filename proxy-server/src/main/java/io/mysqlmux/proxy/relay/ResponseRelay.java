package io.mysqlmux.proxy.relay;

import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.proxy.error.ClientPackets;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Forwards a server's response to the client packet by packet, as it arrives, in the shape the client
 * negotiated. Server connections always speak CLIENT_DEPRECATE_EOF and CLIENT_SESSION_TRACK; for a
 * client without DEPRECATE_EOF an EOF is inserted after each block of definitions and the 0xFE OK that
 * ends rows becomes an EOF with the same warnings and status; for a client without SESSION_TRACK, OKs
 * that carry session state or info are re-encoded without it. Every packet after an insertion is
 * renumbered in place. Rows pass through untouched.
 */
public final class ResponseRelay {
    private final Channel client;
    private final Capability clientCaps;
    private final Capability serverCaps;
    private final boolean insertEofs;
    private final boolean stripSessionState;
    /** Packets inserted (positive) or withheld (negative) so far in the current exchange. */
    private int shift;
    /** The warning count the terminator of this exchange must carry instead of the server's, or -1. */
    private int warningsOverride = -1;

    public ResponseRelay(Channel client, Capability clientCaps, Capability serverCaps) {
        this.client = client;
        this.clientCaps = clientCaps;
        this.serverCaps = serverCaps;
        this.insertEofs = !clientCaps.isDeprecateEof();
        this.stripSessionState = !clientCaps.isSessionTrack();
    }

    /** A new exchange (command) starts: sequence ids line up again. */
    public void begin() {
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

    /**
     * Forwards {@code frame} (consumed), classified as {@code kind} by {@code tracker}.
     *
     * @param currentStatus status flags to put in an inserted metadata EOF (the server sent none)
     */
    public void forward(ByteBuf frame, PacketKind kind, ResponseTracker tracker, int currentStatus) {
        switch (kind) {
            case LAST_DEFINITION:
                int sequenceId = Packets.sequenceId(frame);
                write(frame);
                if (insertEofs) {
                    shift++;
                    client.write(ClientPackets.eof(client.alloc(), toClientSequence(sequenceId),
                            new EofPacket(0, withoutState(currentStatus)), clientCaps),
                            client.voidPromise());
                }
                break;
            case TERMINATOR:
                if (insertEofs) {
                    int eofSequence = toClientSequence(Packets.sequenceId(frame));
                    frame.release();
                    int warnings = warningsOverride >= 0 ? warningsOverride : tracker.warnings();
                    client.write(ClientPackets.eof(client.alloc(), eofSequence,
                            new EofPacket(warnings, withoutState(tracker.status())),
                            clientCaps), client.voidPromise());
                } else {
                    if (warningsOverride >= 0) {
                        setOkWarnings(frame, warningsOverride);
                    }
                    forwardOk(frame);
                }
                break;
            case OK:
                forwardOk(frame);
                break;
            default:
                write(frame);
        }
    }

    private void forwardOk(ByteBuf frame) {
        if (!stripSessionState || !hasTail(frame)) {
            write(frame);
            return;
        }
        int sequenceId = toClientSequence(Packets.sequenceId(frame));
        OkPacket ok;
        try {
            ok = OkPacket.read(Packets.payload(frame), serverCaps);
        } finally {
            frame.release();
        }
        client.write(ClientPackets.ok(client.alloc(), sequenceId, ok, clientCaps), client.voidPromise());
    }

    /**
     * Forwards an OK (consumed) to a client with session tracking, without one tracked variable the
     * client must not act on (MariaDB's {@code redirect_url} would send drivers around the proxy).
     */
    public void forwardWithoutVariable(ByteBuf frame, String variable) {
        int sequenceId = toClientSequence(Packets.sequenceId(frame));
        OkPacket ok;
        try {
            ok = OkPacket.read(Packets.payload(frame), serverCaps);
        } finally {
            frame.release();
        }
        byte[] state = SessionStateChanges.withoutVariables(ok.sessionState(), variable::equalsIgnoreCase);
        client.write(ClientPackets.ok(client.alloc(), sequenceId, ok.withSessionState(state), clientCaps),
                client.voidPromise());
    }

    private void write(ByteBuf frame) {
        if (shift != 0) {
            Packets.setSequenceId(frame, toClientSequence(Packets.sequenceId(frame)));
        }
        client.write(frame, client.voidPromise());
    }

    /** Sets the warning count of an OK-style packet (0x00/0xFE header, two lenenc ints, status, warnings) in place. */
    private static void setOkWarnings(ByteBuf frame, int warnings) {
        int index = Packets.payloadIndex(frame, 1);
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        frame.setShortLE(index + 2, warnings);
    }

    /** True when an OK carries session state or info, whose layout depends on CLIENT_SESSION_TRACK. */
    private static boolean hasTail(ByteBuf frame) {
        int index = Packets.payloadIndex(frame, 1);
        index += MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        int statusIndex = index + MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        int status = frame.getUnsignedShortLE(statusIndex);
        return ServerStatus.sessionStateChanged(status)
                || Packets.payloadLength(frame) > statusIndex + 4 - Packets.payloadIndex(frame, 0);
    }

    private static int withoutState(int status) {
        return status & ~ServerStatus.SERVER_SESSION_STATE_CHANGED;
    }
}
