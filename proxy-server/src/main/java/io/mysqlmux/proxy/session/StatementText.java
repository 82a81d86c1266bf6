package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;

/** Cheap looks at a COM_QUERY's text, without decoding it. */
final class StatementText {
    private static final byte[] SESSION_TRACK = "session_track".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private StatementText() {
    }

    /**
     * True when the statement mentions {@code session_track} (any case). Clients such as MariaDB
     * Connector/J set {@code session_track_system_variables} at connect; the proxy must then put its
     * own tracking back afterwards. A mention inside a string literal only costs one extra command.
     */
    static boolean mentionsSessionTracking(ByteBuf frames) {
        int from = Packets.payloadIndex(frames, 1);
        int end = frames.writerIndex();
        byte[] candidate = new byte[SESSION_TRACK.length];
        while (from <= end - SESSION_TRACK.length) {
            // One bulk scan per candidate: byte-by-byte reads would cost a call (and, under leak
            // detection, a stack trace) per byte of a multi-megabyte INSERT.
            int s = frames.forEachByte(from, end - from, b -> (b | 0x20) != 's');
            if (s < 0 || s > end - SESSION_TRACK.length) {
                return false;
            }
            frames.getBytes(s, candidate);
            if (matches(candidate)) {
                return true;
            }
            from = s + 1;
        }
        return false;
    }

    private static boolean matches(byte[] candidate) {
        for (int j = 0; j < SESSION_TRACK.length; j++) {
            byte b = candidate[j];
            if (b != SESSION_TRACK[j] && (b | 0x20) != SESSION_TRACK[j]) {
                return false;
            }
        }
        return true;
    }
}
