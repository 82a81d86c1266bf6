package io.mysqlmux.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The load generator: non-blocking MySQL clients on Netty event loops of its own (epoll on Linux),
 * so one process holds tens of thousands of client connections with a thread or two.
 *
 * <pre>{@code
 *   try (LoadGenerator generator = new LoadGenerator(1)) {
 *       LoadStats stats = new LoadStats();
 *       LoadRun run = generator.start(new LoadRun.Plan(target, 256, workload, 0, ZERO, ZERO, 64), stats);
 *       ... stats.reset() after the warm-up ... run.stop();
 *   }
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;

    /** @param threads event-loop threads for the clients */
    public LoadGenerator(int threads) {
        DefaultThreadFactory factory = new DefaultThreadFactory("load", true);
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory());
            channelClass = EpollSocketChannel.class;
        } else {
            group = new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
            channelClass = NioSocketChannel.class;
        }
    }

    public LoadRun start(LoadRun.Plan plan, LoadStats stats) {
        LoadRun run = new LoadRun(this, plan, stats);
        run.start();
        return run;
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends Channel> channelClass() {
        return channelClass;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
