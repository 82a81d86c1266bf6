package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.relay.ResponseRelay;
import io.netty.buffer.ByteBuf;

/**
 * LOAD DATA LOCAL INFILE in the middle of a response: the server asks for a file (0xFB), the client
 * streams it as packets continuing the exchange's sequence, and an empty packet ends it. Server
 * connections always allow local files, so for a client that did not, the proxy answers the request
 * itself with an empty file and later gives the client the error a server would have given.
 */
final class LocalInfile {
    private boolean previousContinued;
    private boolean refusing;
    private int refusalSequenceId;

    void start() {
        previousContinued = false;
    }

    /**
     * Forwards one packet of the file (consumed), renumbered for the server. Returns true when it was
     * the empty packet that ends the file (not the empty trailer of a 16 MiB chunk).
     */
    boolean forward(ByteBuf frame, BackendConnection backend, ResponseRelay relay) {
        boolean end = Packets.payloadLength(frame) == 0 && !previousContinued;
        previousContinued = Packets.isContinued(frame);
        int serverSequenceId = relay.toServerSequence(Packets.sequenceId(frame));
        if (backend == null) {
            frame.release();
            return end;
        }
        Packets.setSequenceId(frame, serverSequenceId);
        if (end) {
            backend.tracker().clientSent(serverSequenceId);
        }
        backend.write(frame);
        return end;
    }

    /** Answers the server's request (consumed) with an empty file on the client's behalf. */
    void refuse(ByteBuf request, BackendConnection backend, ResponseRelay relay) {
        int sequenceId = Packets.sequenceId(request);
        refusalSequenceId = relay.toClientSequence(sequenceId);
        request.release();
        refusing = true;
        int emptySequenceId = Packets.nextSequenceId(sequenceId);
        backend.tracker().clientSent(emptySequenceId);
        backend.write(PacketEncoder.emptyPacket(backend.channel().alloc(), emptySequenceId));
    }

    /** True while the rest of the server's answer is withheld from a client that refused the file. */
    boolean isRefusing() {
        return refusing;
    }

    /** The sequence id the client's error takes (where the file request would have been); ends refusing. */
    int endRefusal() {
        refusing = false;
        return refusalSequenceId;
    }
}
