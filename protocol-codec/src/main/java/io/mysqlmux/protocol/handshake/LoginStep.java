package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.protocol.packet.ErrPacket;

/**
 * What a login state machine ({@link ServerLogin}, {@link ClientLogin}) wants its caller to do next.
 * The machines do no I/O: the caller writes the packet with the given sequence id and feeds the
 * peer's next packet back in.
 */
public sealed interface LoginStep {

    /** Write {@code payload} as a packet with {@code sequenceId}, then wait for the peer. */
    record Send(PacketPayload payload, int sequenceId) implements LoginStep {
    }

    /** Nothing to write; wait for the peer's next packet. */
    record Await() implements LoginStep {
    }

    /**
     * Authentication succeeded. Server side: the caller sends its OK with {@code sequenceId}.
     * Client side: the server's OK has arrived and the command phase begins.
     */
    record Done(int sequenceId) implements LoginStep {
    }

    /**
     * Authentication failed. Server side: the caller sends {@code error} with {@code sequenceId} and
     * closes. Client side: {@code error} is what the server (or the machine itself) reported.
     */
    record Failed(ErrPacket error, int sequenceId) implements LoginStep {
    }
}
