package io.mysqlmux.protocol.response;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;

/**
 * Follows the server's answer to one command, packet by packet, and says where it ends. It peeks at
 * headers, first bytes and terminator status flags with absolute reads and allocates nothing, so it
 * can sit on the forwarding path of every row.
 *
 * <pre>
 * FIRST     OK → done unless MORE_RESULTS (then FIRST) · ERR → done · 0xFB → LOCAL INFILE request
 *           0xFE → EOF-style reply (COM_SET_OPTION) → done · else column count N → DEFS
 * DEFS      N definitions, then [classic: one EOF; cursor opened → done] → ROWS
 * ROWS      ERR → done · 0xFE shorter than a full frame (classic: &lt; 9) → terminator:
 *           MORE_RESULTS → FIRST, else done · anything else → row
 * </pre>
 * A frame that follows a full (0xFFFFFF) frame continues the same logical packet and is not
 * classified again.
 *
 * <p>SERVER_STATUS_CURSOR_EXISTS alone never ends a response. It means "no rows follow the metadata"
 * only in the answer to a COM_STMT_EXECUTE that opened a cursor, and then MORE_RESULTS is clear.
 * A stored program with an open cursor of its own (CALL, {@code BEGIN NOT ATOMIC}) sets it on every
 * result set it sends, beside MORE_RESULTS, and rows follow as usual.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html">COM_QUERY response</a>
 */
public final class ResponseTracker {

    public enum State { IDLE, FIRST, COLUMN_DEFINITIONS, METADATA_EOF, ROWS, PREPARE_PARAMETERS,
        PREPARE_PARAMETERS_EOF, PREPARE_COLUMNS, PREPARE_COLUMNS_EOF, FIELD_DEFINITIONS, SINGLE, DONE }

    /** No status flags were seen in this response (e.g. it was a single ERR). */
    public static final int NO_STATUS = -1;
    private static final int CLASSIC_EOF_MAX_PAYLOAD = 8;
    private static final int LOCAL_INFILE_HEADER = 0xFB;

    private final boolean deprecateEof;
    private State state = State.IDLE;
    /** The command is a COM_STMT_EXECUTE, which may open a cursor instead of sending rows. */
    private boolean mayOpenCursor;
    private boolean continued;
    private int expectedSequenceId;
    private long definitionsLeft;
    private int columnsAfterParameters;
    private PacketKind lastKind;
    private int status = NO_STATUS;
    private int warnings;
    private int errorCode;
    private long affectedRows;
    private long lastInsertId;

    /** @param deprecateEof whether the connection this tracker reads negotiated CLIENT_DEPRECATE_EOF */
    public ResponseTracker(boolean deprecateEof) {
        this.deprecateEof = deprecateEof;
    }

    /** Starts following the answer to a command that was sent with sequence id {@code commandSequenceId}. */
    public void start(ExpectedResponse expected, int commandSequenceId) {
        expectedSequenceId = Packets.nextSequenceId(commandSequenceId);
        continued = false;
        status = NO_STATUS;
        warnings = 0;
        errorCode = 0;
        affectedRows = 0;
        lastInsertId = 0;
        lastKind = null;
        mayOpenCursor = expected == ExpectedResponse.EXECUTE;
        switch (expected) {
            case NONE:
                state = State.DONE;
                break;
            case SINGLE_PACKET:
                state = State.SINGLE;
                break;
            case FIELD_LIST:
                state = State.FIELD_DEFINITIONS;
                break;
            case PREPARE:
                state = State.PREPARE_PARAMETERS;
                definitionsLeft = -1;
                break;
            case ROWS:
                state = State.ROWS;
                break;
            default:
                state = State.FIRST;
        }
    }

    /**
     * The client is about to send LOCAL INFILE data with the given sequence ids; the server's answer
     * continues after {@code lastClientSequenceId}.
     */
    public void clientSent(int lastClientSequenceId) {
        expectedSequenceId = Packets.nextSequenceId(lastClientSequenceId);
    }

    /** Classifies one frame (borrowed, not released) of the response. */
    public PacketKind onPacket(ByteBuf frame) {
        int sequenceId = Packets.sequenceId(frame);
        if (sequenceId != expectedSequenceId || state == State.IDLE || state == State.DONE) {
            throw new MalformedPacketException("server packet: sequence id " + sequenceId + " in state " + state
                    + " (expected: " + expectedSequenceId + " while a response is open)", frame);
        }
        expectedSequenceId = Packets.nextSequenceId(sequenceId);
        boolean wasContinued = continued;
        continued = Packets.isContinued(frame);
        if (wasContinued) {
            return PacketKind.CONTINUATION;
        }
        lastKind = classify(frame);
        return lastKind;
    }

    private PacketKind classify(ByteBuf frame) {
        int first = Packets.firstByte(frame);
        if (first == ErrPacket.HEADER && state != State.SINGLE) {
            return onErr(frame);
        }
        switch (state) {
            case FIRST:
                return onFirst(frame, first);
            case COLUMN_DEFINITIONS:
                return onDefinition(State.METADATA_EOF, State.ROWS);
            case METADATA_EOF:
                return onMetadataEof(frame);
            case ROWS:
                return isTerminator(frame, first) ? onTerminator(frame) : PacketKind.ROW;
            case PREPARE_PARAMETERS:
                return definitionsLeft < 0 ? onPrepareOk(frame) : onDefinition(State.PREPARE_PARAMETERS_EOF,
                        State.PREPARE_COLUMNS);
            case PREPARE_PARAMETERS_EOF:
                expectEof(frame, first);
                readEof(frame);
                startPrepareColumns();
                return PacketKind.METADATA_EOF;
            case PREPARE_COLUMNS:
                return onDefinition(State.PREPARE_COLUMNS_EOF, State.DONE);
            case PREPARE_COLUMNS_EOF:
                expectEof(frame, first);
                readEof(frame);
                state = State.DONE;
                return PacketKind.METADATA_EOF;
            case FIELD_DEFINITIONS:
                return isTerminator(frame, first) ? end(PacketKind.TERMINATOR, frame) : PacketKind.DEFINITION;
            case SINGLE:
                state = State.DONE;
                return first == ErrPacket.HEADER ? onErr(frame) : PacketKind.STATISTICS;
            default:
                throw new IllegalStateException("no packet expected in state " + state);
        }
    }

    private PacketKind onFirst(ByteBuf frame, int first) {
        if (first == 0x00) {
            readOk(frame);
            state = ServerStatus.moreResults(status) ? State.FIRST : State.DONE;
            return PacketKind.OK;
        }
        if (first == LOCAL_INFILE_HEADER) {
            return PacketKind.LOCAL_INFILE_REQUEST;
        }
        if (first == EofPacket.HEADER) {
            return end(PacketKind.TERMINATOR, frame);
        }
        if (first < 0) {
            throw new MalformedPacketException("response: empty packet (expected: OK, ERR or column count)", frame);
        }
        definitionsLeft = MysqlBuf.getLenEncInt(frame, Packets.payloadIndex(frame, 0));
        state = definitionsLeft == 0 ? afterDefinitions(State.METADATA_EOF, State.ROWS) : State.COLUMN_DEFINITIONS;
        return PacketKind.COLUMN_COUNT;
    }

    private PacketKind onPrepareOk(ByteBuf frame) {
        int base = Packets.payloadIndex(frame, 0);
        if (Packets.payloadLength(frame) < 12) {
            throw new MalformedPacketException("PREPARE_OK: " + Packets.payloadLength(frame)
                    + " bytes (expected: at least 12)", frame);
        }
        columnsAfterParameters = frame.getUnsignedShortLE(base + 5);
        definitionsLeft = frame.getUnsignedShortLE(base + 7);
        warnings = frame.getUnsignedShortLE(base + 10);
        if (definitionsLeft == 0) {
            startPrepareColumns();
        }
        return PacketKind.PREPARE_OK;
    }

    private void startPrepareColumns() {
        definitionsLeft = columnsAfterParameters;
        state = definitionsLeft == 0 ? State.DONE : State.PREPARE_COLUMNS;
    }

    private PacketKind onDefinition(State classicNext, State deprecateEofNext) {
        if (--definitionsLeft > 0) {
            return PacketKind.DEFINITION;
        }
        state = deprecateEof ? deprecateEofNext : classicNext;
        if (state == State.PREPARE_COLUMNS) {
            startPrepareColumns();
        }
        return PacketKind.LAST_DEFINITION;
    }

    private State afterDefinitions(State classicNext, State deprecateEofNext) {
        return deprecateEof ? deprecateEofNext : classicNext;
    }

    private PacketKind onMetadataEof(ByteBuf frame) {
        expectEof(frame, Packets.firstByte(frame));
        readEof(frame);
        boolean cursorOpened = mayOpenCursor && ServerStatus.cursorExists(status) && !ServerStatus.moreResults(status);
        state = cursorOpened ? State.DONE : State.ROWS;
        return PacketKind.METADATA_EOF;
    }

    /** Ends rows; under DEPRECATE_EOF also the metadata of an execute that opened a cursor (no rows came). */
    private PacketKind onTerminator(ByteBuf frame) {
        readTerminator(frame);
        state = ServerStatus.moreResults(status) ? State.FIRST : State.DONE;
        return PacketKind.TERMINATOR;
    }

    private PacketKind end(PacketKind kind, ByteBuf frame) {
        readTerminator(frame);
        state = State.DONE;
        return kind;
    }

    private PacketKind onErr(ByteBuf frame) {
        int code = Packets.payloadLength(frame) >= 3 ? frame.getUnsignedShortLE(Packets.payloadIndex(frame, 1)) : 0;
        if (code == ErrPacket.PROGRESS_CODE) {
            return PacketKind.PROGRESS;
        }
        errorCode = code;
        state = State.DONE;
        return PacketKind.ERR;
    }

    /** 0xFE starts a terminator unless the packet is a full frame (then it is a row of 16 MiB or more). */
    private boolean isTerminator(ByteBuf frame, int first) {
        if (first != EofPacket.HEADER) {
            return false;
        }
        int length = Packets.payloadLength(frame);
        return deprecateEof ? length < Packets.MAX_PAYLOAD : length <= CLASSIC_EOF_MAX_PAYLOAD;
    }

    private void expectEof(ByteBuf frame, int first) {
        if (first != EofPacket.HEADER || Packets.payloadLength(frame) > CLASSIC_EOF_MAX_PAYLOAD) {
            throw new MalformedPacketException("metadata EOF: first byte 0x" + Integer.toHexString(first)
                    + " (expected: 0xFE EOF after definitions)", frame);
        }
    }

    private void readTerminator(ByteBuf frame) {
        if (deprecateEof || Packets.payloadLength(frame) > CLASSIC_EOF_MAX_PAYLOAD) {
            readOk(frame);
        } else {
            readEof(frame);
        }
    }

    /** Peeks affected rows, last insert id, status and warnings of an OK (header 0x00 or 0xFE). */
    private void readOk(ByteBuf frame) {
        int index = Packets.payloadIndex(frame, 1);
        int end = Packets.payloadIndex(frame, Packets.payloadLength(frame));
        int affectedSize = MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        affectedRows = MysqlBuf.getLenEncInt(frame, index);
        index += affectedSize;
        int idSize = MysqlBuf.sizeOfLenEncInt(frame.getUnsignedByte(index));
        lastInsertId = MysqlBuf.getLenEncInt(frame, index);
        index += idSize;
        if (index + 4 > end) {
            throw new MalformedPacketException("OK: " + Packets.payloadLength(frame)
                    + " bytes (expected: status_flags and warnings)", frame);
        }
        status = frame.getUnsignedShortLE(index);
        warnings = frame.getUnsignedShortLE(index + 2);
    }

    private void readEof(ByteBuf frame) {
        if (Packets.payloadLength(frame) >= EofPacket.PAYLOAD_LENGTH) {
            int index = Packets.payloadIndex(frame, 1);
            warnings = frame.getUnsignedShortLE(index);
            status = frame.getUnsignedShortLE(index + 2);
        }
    }

    public State state() {
        return state;
    }

    public boolean isDone() {
        return state == State.DONE;
    }

    /** True while the server is still answering (a command was started and its end not seen). */
    public boolean isOpen() {
        return state != State.IDLE && state != State.DONE;
    }

    /** Status flags of the last OK/EOF seen in this response, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    public int warnings() {
        return warnings;
    }

    /** The code of the ERR that ended the response, or 0. */
    public int errorCode() {
        return errorCode;
    }

    public boolean endedWithError() {
        return lastKind == PacketKind.ERR;
    }

    public long affectedRows() {
        return affectedRows;
    }

    public long lastInsertId() {
        return lastInsertId;
    }

    /** The sequence id the next packet of this exchange carries (from either side). */
    public int nextSequenceId() {
        return expectedSequenceId;
    }

    /** Back to rest: no response expected (e.g. after the connection was reset). */
    public void reset() {
        state = State.IDLE;
        continued = false;
    }
}
