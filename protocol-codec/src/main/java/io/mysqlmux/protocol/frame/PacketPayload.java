package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;

/** Something that can write itself as the payload of one packet (the caller adds the header). */
@FunctionalInterface
public interface PacketPayload {
    void write(ByteBuf out);
}
