package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Joins the payloads of a logical packet that arrived as several frames (every frame but the last
 * has a payload of exactly 0xFFFFFF bytes). Used only where the proxy must read the whole payload;
 * forwarded packets keep their frames. The joined payload is a composite of the frames' payloads,
 * so nothing is copied.
 */
public final class LargePacketJoiner {
    private final ByteBufAllocator alloc;
    private CompositeByteBuf joined;

    public LargePacketJoiner(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Adds a frame (consumed). Returns the complete payload once the last frame arrived (the caller
     * owns and releases it), or {@code null} while more frames are expected.
     */
    public ByteBuf add(ByteBuf frame) {
        boolean continued = Packets.isContinued(frame);
        ByteBuf payload = frame.skipBytes(Packets.HEADER_SIZE);
        if (joined == null) {
            if (!continued) {
                return payload;
            }
            joined = alloc.compositeBuffer(Integer.MAX_VALUE);
        }
        joined.addComponent(true, payload);
        if (continued) {
            return null;
        }
        ByteBuf result = joined;
        joined = null;
        return result;
    }

    /** Bytes held for an unfinished packet. */
    public int pendingBytes() {
        return joined == null ? 0 : joined.readableBytes();
    }

    /** Drops an unfinished packet (connection closing). */
    public void discard() {
        if (joined != null) {
            joined.release();
            joined = null;
        }
    }
}
