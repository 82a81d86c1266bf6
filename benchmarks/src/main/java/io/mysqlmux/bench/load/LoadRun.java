package io.mysqlmux.bench.load;

import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One load in progress: its clients connect a bounded number at a time (a burst of thousands of
 * SYNs would overflow the listener's backlog and measure TCP retransmits instead of the target),
 * run their work, and end. {@link #stop()} ends them all.
 */
public final class LoadRun {

    /**
     * @param unitsPerClient units of work each client runs, then quits; 0 = until {@link #stop()};
     *                       -1 = none: clients log in and stay idle (memory per connection)
     * @param thinkMin       shortest pause between two units of one client
     * @param thinkMax       longest pause (uniformly random in between)
     * @param maxConnecting  connection attempts in flight at once
     */
    public record Plan(Target target, int clients, Workload workload, long unitsPerClient, Duration thinkMin,
                       Duration thinkMax, int maxConnecting) {

        boolean idle() {
            return unitsPerClient < 0;
        }

        long thinkMicros(ThreadLocalRandom random) {
            long min = thinkMin.toNanos() / 1000;
            long max = thinkMax.toNanos() / 1000;
            return max <= min ? min : random.nextLong(min, max + 1);
        }
    }

    private final LoadGenerator generator;
    private final Plan plan;
    private final LoadStats stats;
    private final ChannelGroup channels = new DefaultChannelGroup("load", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger nextClient = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private final CountDownLatch loginsEnded;
    private final CountDownLatch clientsEnded;
    private volatile boolean stopping;

    LoadRun(LoadGenerator generator, Plan plan, LoadStats stats) {
        this.generator = generator;
        this.plan = plan;
        this.stats = stats;
        stats.sizeFor(plan.clients());
        this.loginsEnded = new CountDownLatch(plan.clients());
        this.clientsEnded = new CountDownLatch(plan.clients());
    }

    public Plan plan() {
        return plan;
    }

    public LoadStats stats() {
        return stats;
    }

    boolean stopping() {
        return stopping;
    }

    void start() {
        connectMore();
    }

    /** Opens connections while fewer than maxConnecting are in flight and clients remain. */
    private void connectMore() {
        while (!stopping) {
            int inFlight = connecting.get();
            if (inFlight >= plan.maxConnecting()) {
                return;
            }
            if (!connecting.compareAndSet(inFlight, inFlight + 1)) {
                continue;
            }
            int index = nextClient.getAndIncrement();
            if (index >= plan.clients()) {
                connecting.decrementAndGet();
                return;
            }
            connect(index);
        }
    }

    private void connect(int index) {
        Bootstrap bootstrap = new Bootstrap().group(generator.group()).channel(generator.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new PacketFrameDecoder(), new LoadClient(LoadRun.this, index));
                    }
                });
        bootstrap.connect(plan.target().host(), plan.target().port()).addListener(f -> {
            if (!f.isSuccess()) {
                if (!stopping) {
                    stats.connectFailed(String.valueOf(f.cause()));
                    stats.clientFailed();
                }
                loginEnded();
                clientEnded();
            }
        });
    }

    /** A client's login ended (in or refused): the next one may connect. */
    void loginEnded() {
        loginsEnded.countDown();
        connecting.decrementAndGet();
        connectMore();
    }

    void clientEnded() {
        clientsEnded.countDown();
    }

    /** Waits until every client has logged in or been refused. */
    public boolean awaitLogins(Duration timeout) throws InterruptedException {
        return loginsEnded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until every client has finished or failed. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return clientsEnded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Clients that have not ended yet. */
    public long clientsLeft() {
        return clientsEnded.getCount();
    }

    /** Ends every client now (closing its connection) and waits for them. */
    public void stop() throws InterruptedException {
        stopping = true;
        int started = Math.min(nextClient.getAndSet(plan.clients()), plan.clients());
        for (int never = started; never < plan.clients(); never++) {
            loginsEnded.countDown();
            clientsEnded.countDown();
        }
        channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
        clientsEnded.await(30, TimeUnit.SECONDS);
    }
}
