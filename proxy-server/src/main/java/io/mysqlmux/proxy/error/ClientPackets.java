package io.mysqlmux.proxy.error;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Packets the proxy writes to a client itself, laid out for that client's capabilities. */
public final class ClientPackets {

    private ClientPackets() {
    }

    public static ByteBuf ok(ByteBufAllocator alloc, int sequenceId, OkPacket ok, Capability caps) {
        return PacketEncoder.encode(alloc, sequenceId, out -> ok.write(out, caps));
    }

    public static ByteBuf err(ByteBufAllocator alloc, int sequenceId, ErrPacket err, Capability caps) {
        return PacketEncoder.encode(alloc, sequenceId, out -> err.write(out, caps));
    }

    public static ByteBuf eof(ByteBufAllocator alloc, int sequenceId, EofPacket eof, Capability caps) {
        return PacketEncoder.encode(alloc, sequenceId, out -> eof.write(out, caps));
    }

    /**
     * The end-of-data reply (to COM_SET_OPTION, or ending rows): a 5-byte EOF for classic clients,
     * an OK with the 0xFE header for clients with CLIENT_DEPRECATE_EOF.
     */
    public static ByteBuf endOfData(ByteBufAllocator alloc, int sequenceId, int warnings, int status,
                                    Capability caps) {
        if (caps.isDeprecateEof()) {
            OkPacket ok = new OkPacket(OkPacket.EOF_HEADER, 0, 0, status, warnings, new byte[0], null);
            return ok(alloc, sequenceId, ok, caps);
        }
        return eof(alloc, sequenceId, new EofPacket(warnings, status), caps);
    }
}
