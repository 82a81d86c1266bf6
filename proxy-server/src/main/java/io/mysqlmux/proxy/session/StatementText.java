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
        int to = frames.writerIndex() - SESSION_TRACK.length;
        for (int i = from; i <= to; i++) {
            if (matchesAt(frames, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(ByteBuf buf, int index) {
        for (int j = 0; j < SESSION_TRACK.length; j++) {
            int b = buf.getByte(index + j);
            if ((b | 0x20) != SESSION_TRACK[j] && b != SESSION_TRACK[j]) {
                return false;
            }
        }
        return true;
    }
}
