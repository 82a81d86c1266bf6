package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComStmtPrepareOk;
import io.mysqlmux.protocol.command.StatementIds;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.proxy.backend.StatementKey;
import io.mysqlmux.proxy.backend.StatementMetadataCache;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a client's COM_STMT_PREPARE that went to the server: copied (small) for the pool's
 * metadata cache as it is relayed, with the server's statement id replaced by the client's.
 */
final class PrepareCapture {
    private final long clientId;
    private final StatementKey key;
    private final StatementTraits traits;
    private final List<byte[]> packets = new ArrayList<>();
    private final List<PacketKind> kinds = new ArrayList<>();
    private ComStmtPrepareOk ok;

    PrepareCapture(long clientId, StatementKey key, StatementTraits traits) {
        this.clientId = clientId;
        this.key = key;
        this.traits = traits;
    }

    /** Copies a packet of the answer (borrowed); a PREPARE_OK gets the client's id in place. */
    void packet(ByteBuf frame, PacketKind kind) {
        if (kind == PacketKind.PREPARE_OK) {
            ok = ComStmtPrepareOk.peek(frame);
        }
        packets.add(ByteBufUtil.getBytes(frame));
        kinds.add(kind);
        if (kind == PacketKind.PREPARE_OK) {
            StatementIds.set(frame, clientId);
        }
    }

    /** The server's id for the statement, or -1 when it did not prepare it. */
    long serverId() {
        return ok == null ? -1 : ok.statementId();
    }

    StatementKey key() {
        return key;
    }

    StatementMetadataCache.Metadata metadata() {
        return new StatementMetadataCache.Metadata(ok.parameters(), ok.columns(), List.copyOf(packets),
                List.copyOf(kinds));
    }

    ClientStatement statement() {
        return new ClientStatement(clientId, key, ok.parameters(), ok.columns(), traits, new ClientStatement.Types());
    }

    /** A cached answer as frames for a client statement {@code id}, in order (the caller relays them). */
    static List<ByteBuf> replay(StatementMetadataCache.Metadata metadata, long id, ByteBufAllocator alloc) {
        List<ByteBuf> frames = new ArrayList<>(metadata.packets().size());
        for (int i = 0; i < metadata.packets().size(); i++) {
            byte[] bytes = metadata.packets().get(i);
            ByteBuf frame = alloc.buffer(bytes.length).writeBytes(bytes);
            if (metadata.kinds().get(i) == PacketKind.PREPARE_OK) {
                StatementIds.set(frame, id);
            }
            frames.add(frame);
        }
        return frames;
    }
}
