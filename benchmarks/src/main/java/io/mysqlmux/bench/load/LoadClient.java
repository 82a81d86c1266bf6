package io.mysqlmux.bench.load;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated application connection, driven by its channel's event loop: logs in with the
 * project's own codec, then runs units of work from the {@link Workload} one statement at a time,
 * finding the end of each answer with {@link ResponseTracker}, with think time between units. No
 * threads per client, so one process holds tens of thousands of them.
 */
final class LoadClient extends ChannelInboundHandlerAdapter {
    /** What a Connector/J client asks for by default (FOUND_ROWS too), over plain TCP. */
    private static final long CAPABILITIES = Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_FOUND_ROWS
            | Capability.CLIENT_LONG_FLAG | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_PROTOCOL_41
            | Capability.CLIENT_TRANSACTIONS | Capability.CLIENT_SECURE_CONNECTION | Capability.CLIENT_MULTI_RESULTS
            | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capability.CLIENT_DEPRECATE_EOF;
    private static final int UTF8MB4_GENERAL_CI = 45;
    /** A server that accepted the TCP connection but never greets (or answers the login) is given up on. */
    private static final long LOGIN_TIMEOUT_SECONDS = 30;

    private enum Phase { LOGIN, THINKING, RUNNING, DONE }

    private final LoadRun run;
    private final int index;
    private final ClientLogin login;
    private Phase phase = Phase.LOGIN;
    private boolean greeted;
    private ResponseTracker tracker;
    private String[] unit;
    private int statement;
    private long unitStartNanos;
    private long statementStartNanos;
    /** Whether a statement of the current unit was answered with ERR. */
    private boolean unitFailed;
    private long unitsDone;
    private ChannelHandlerContext ctx;

    LoadClient(LoadRun run, int index) {
        this.run = run;
        this.index = index;
        Target target = run.plan().target();
        this.login = new ClientLogin(new ClientLogin.Settings(target.user(),
                target.password().getBytes(StandardCharsets.UTF_8), target.database(), UTF8MB4_GENERAL_CI,
                Capability.of(CAPABILITIES), Map.of(), false));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (phase == Phase.LOGIN) {
                fail("no login within " + LOGIN_TIMEOUT_SECONDS + " s");
            }
        }, LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (phase == Phase.LOGIN) {
                onLoginPacket(frame);
            } else if (phase == Phase.RUNNING) {
                onAnswer(frame);
            }
        } catch (RuntimeException e) {
            fail("protocol error: " + e.getMessage());
        } finally {
            frame.release();
        }
    }

    private void onLoginPacket(ByteBuf frame) {
        ByteBuf payload = Packets.payload(frame);
        int sequenceId = Packets.sequenceId(frame);
        LoginStep step = greeted ? login.onPacket(payload, sequenceId) : login.onGreeting(payload, sequenceId);
        greeted = true;
        if (step instanceof LoginStep.Send send) {
            ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), send.sequenceId(), send.payload()));
        } else if (step instanceof LoginStep.Done) {
            tracker = new ResponseTracker(login.negotiated().isDeprecateEof());
            run.stats().connected();
            run.loginEnded();
            phase = Phase.THINKING;
            if (!run.plan().idle()) {
                startUnit();
            }
        } else if (step instanceof LoginStep.Failed failed) {
            run.stats().error(failed.error().code(), failed.error().message());
            fail(null);
        }
    }

    private void startUnit() {
        if (phase != Phase.THINKING) {
            return;
        }
        if (run.stopping()) {
            finish();
            return;
        }
        unit = run.plan().workload().next(index, ThreadLocalRandom.current());
        statement = 0;
        unitFailed = false;
        unitStartNanos = System.nanoTime();
        phase = Phase.RUNNING;
        send(unit[0]);
    }

    private void send(String sql) {
        tracker.start(ExpectedResponse.RESULT, 0);
        statementStartNanos = System.nanoTime();
        ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), 0,
                out -> out.writeByte(3).writeCharSequence(sql, StandardCharsets.UTF_8)), ctx.voidPromise());
    }

    private void onAnswer(ByteBuf frame) {
        PacketKind kind = tracker.onPacket(frame);
        if (kind == PacketKind.ERR) {
            ErrPacket error = ErrPacket.read(Packets.payload(frame));
            run.stats().error(error.code(), error.message());
            unitFailed = true;
        }
        if (!tracker.isDone()) {
            return;
        }
        long now = System.nanoTime();
        run.stats().statementDone(now - statementStartNanos);
        if (++statement < unit.length) {
            send(unit[statement]);
            return;
        }
        run.stats().unitDone(index, now - unitStartNanos, !unitFailed);
        unitsDone++;
        phase = Phase.THINKING;
        long limit = run.plan().unitsPerClient();
        if (limit > 0 && unitsDone >= limit) {
            finish();
            return;
        }
        long think = run.plan().thinkMicros(ThreadLocalRandom.current());
        if (think == 0) {
            startUnit();
        } else {
            ctx.executor().schedule(this::startUnit, think, TimeUnit.MICROSECONDS);
        }
    }

    /** All work done: COM_QUIT, then close. */
    private void finish() {
        phase = Phase.DONE;
        run.stats().clientFinished();
        run.clientEnded();
        ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), 0, out -> out.writeByte(1)))
                .addListener(f -> ctx.close());
    }

    /**
     * The client ends before its work is done: a refused login ({@code why} null, the error already
     * counted), a lost connection or a protocol error. When the run is being stopped, that is no failure.
     */
    private void fail(String why) {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.LOGIN) {
            run.loginEnded();
        }
        phase = Phase.DONE;
        if (!run.stopping()) {
            if (why != null) {
                run.stats().connectFailed(why);
            }
            run.stats().clientFailed();
        }
        run.clientEnded();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed by the peer");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
