package io.mysqlmux.proxy;

import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.session.ClientSession;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.session.TrafficGate;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * SIGTERM or SHUTDOWN GRACEFUL: the listener is already closed; commands that need a new server
 * connection are turned away (ERROR 1053, so drivers reconnect elsewhere), clients between commands
 * outside a transaction are told the same and closed, and clients inside a transaction may finish
 * it. Once no session is left, or at shutdown_timeout, everything closes.
 */
final class GracefulShutdown {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final long ROUND_MILLIS = 100;

    private final ProxyServer server;
    private final Sessions sessions;
    private final TrafficGate gate;
    private final long deadlineNanos;
    private ScheduledFuture<?> rounds;

    GracefulShutdown(ProxyServer server, Sessions sessions, TrafficGate gate) {
        this.server = server;
        this.sessions = sessions;
        this.gate = gate;
        this.deadlineNanos = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(server.config().settings().value(Setting.SHUTDOWN_TIMEOUT));
    }

    void begin(EventLoopGroup group) {
        gate.drain();
        log.info("draining: {} client session(s); open transactions may finish within shutdown_timeout",
                sessions.count());
        rounds = group.next().scheduleAtFixedRate(this::round, 0, ROUND_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void round() {
        for (ClientSession session : sessions.all()) {
            session.executor().execute(session::endIfBetweenTransactions);
        }
        boolean timedOut = System.nanoTime() - deadlineNanos >= 0;
        if (sessions.count() == 0 || timedOut) {
            rounds.cancel(false);
            if (timedOut && sessions.count() > 0) {
                log.warn("shutdown_timeout reached with {} session(s) still in a transaction; closing them",
                        sessions.count());
            }
            // Closing stops the event loops and waits for them: not from one of them.
            new Thread(server::close, "mysqlmux-shutdown").start();
        }
    }
}
