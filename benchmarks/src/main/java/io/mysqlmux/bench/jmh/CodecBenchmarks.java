package io.mysqlmux.bench.jmh;

import io.mysqlmux.protocol.command.StatementIds;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The codec's hot paths, per packet: cutting a received buffer into frames, classifying the
 * packets of a result set to find where it ends, and rewriting the statement id of a
 * COM_STMT_EXECUTE. Run with {@code benchmarks/scripts/jmh.sh} (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmarks {
    /** A result set of this many rows (plus column count, 3 definitions and the terminator). */
    private static final int ROWS = 1000;

    private ByteBuf resultSetWire;
    private List<ByteBuf> resultSetFrames;
    private ResponseTracker tracker;
    private EmbeddedChannel decoderChannel;
    private ByteBuf execute;

    @Setup(Level.Trial)
    public void setUp() {
        ByteBuf wire = Unpooled.directBuffer();
        int sequence = 1;
        append(wire, sequence++, out -> MysqlBuf.writeLenEncInt(out, 3));
        for (String column : new String[] {"id", "k", "c"}) {
            append(wire, sequence++, out -> columnDefinition(out, column));
        }
        for (int row = 0; row < ROWS; row++) {
            int id = row;
            append(wire, sequence++ & 0xFF, out -> {
                MysqlBuf.writeLenEncString(out, Integer.toString(id), StandardCharsets.US_ASCII);
                MysqlBuf.writeLenEncString(out, Integer.toString(id * 7), StandardCharsets.US_ASCII);
                MysqlBuf.writeLenEncString(out, "x".repeat(119), StandardCharsets.US_ASCII);
            });
        }
        append(wire, sequence & 0xFF, out -> out.writeByte(0xFE).writeByte(0).writeByte(0)
                .writeShortLE(2).writeShortLE(0));
        resultSetWire = wire;
        resultSetFrames = new ArrayList<>();
        ByteBuf copy = wire.duplicate();
        while (copy.isReadable()) {
            int length = 4 + copy.getUnsignedMediumLE(copy.readerIndex());
            resultSetFrames.add(copy.readSlice(length));
        }
        tracker = new ResponseTracker(true);
        decoderChannel = new EmbeddedChannel(new PacketFrameDecoder());
        execute = Unpooled.directBuffer();
        append(execute, 0, out -> {
            out.writeByte(0x17).writeIntLE(7).writeByte(0).writeIntLE(1);
            out.writeByte(0).writeByte(1).writeShortLE(8).writeLongLE(42);
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoderChannel.finishAndReleaseAll();
        resultSetWire.release();
        execute.release();
    }

    /** PacketFrameDecoder over a received 1,000-row result set: time per packet. */
    @Benchmark
    @OperationsPerInvocation(ROWS + 5)
    public void frameDecodePerPacket(Blackhole hole) {
        decoderChannel.writeInbound(resultSetWire.retainedDuplicate());
        ByteBuf frame;
        while ((frame = decoderChannel.readInbound()) != null) {
            hole.consume(frame.readableBytes());
            frame.release();
        }
    }

    /** ResponseTracker following a 1,000-row result set to its end: time per packet. */
    @Benchmark
    @OperationsPerInvocation(ROWS + 5)
    public void responseTrackingPerPacket(Blackhole hole) {
        tracker.start(ExpectedResponse.RESULT, 0);
        for (ByteBuf frame : resultSetFrames) {
            hole.consume(tracker.onPacket(frame));
        }
        if (!tracker.isDone()) {
            throw new IllegalStateException("the result set did not end");
        }
    }

    /** Reading and rewriting the statement id of a COM_STMT_EXECUTE in place. */
    @Benchmark
    public long statementIdRewrite() {
        long clientId = StatementIds.get(execute);
        StatementIds.set(execute, clientId + 1);
        return clientId;
    }

    private static void append(ByteBuf wire, int sequenceId, PacketPayload payload) {
        ByteBuf packet = PacketEncoder.encode(ByteBufAllocator.DEFAULT, sequenceId, payload);
        wire.writeBytes(packet);
        packet.release();
    }

    private static void columnDefinition(ByteBuf out, String name) {
        for (String part : new String[] {"def", "app", "sbtest1", "sbtest1", name, name}) {
            MysqlBuf.writeLenEncString(out, part, StandardCharsets.US_ASCII);
        }
        out.writeByte(0x0C).writeShortLE(45).writeIntLE(480).writeByte(0xFD).writeShortLE(0).writeByte(0)
                .writeShortLE(0);
    }
}
