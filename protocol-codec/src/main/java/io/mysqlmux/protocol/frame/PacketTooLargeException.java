package io.mysqlmux.protocol.frame;

import io.netty.handler.codec.DecoderException;

/**
 * A peer announced a logical packet (all its 16 MiB parts together) larger than the receiver allows.
 * Raised from the frame header, before the payload is read, so the oversized packet is never
 * buffered; the stream cannot be followed after it and the connection must close.
 */
public final class PacketTooLargeException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;
    private final int sequenceId;

    public PacketTooLargeException(long size, long limit, int sequenceId) {
        super("packet of at least " + size + " bytes exceeds the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
        this.sequenceId = sequenceId;
    }

    /** The announced size so far (it may have more parts). */
    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }

    /** Sequence id of the part that crossed the limit (an answer uses the next one). */
    public int sequenceId() {
        return sequenceId;
    }
}
