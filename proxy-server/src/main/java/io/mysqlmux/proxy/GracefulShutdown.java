package io.mysqlmux.proxy;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.session.ClientSession;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.session.TrafficGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM or SHUTDOWN GRACEFUL: the listener is already closed; commands that need a new server
 * connection are turned away (ERROR 1053, so drivers reconnect elsewhere), clients between commands
 * outside a transaction are told the same and closed, and clients inside a transaction may finish
 * it. Once no session is left, or at shutdown_timeout (those still in a transaction are told why
 * they are cut off), everything closes.
 *
 * <p>It runs on a thread of its own, not on an event loop: it waits, and closing the proxy stops the
 * event loops and waits for them. Whatever happens in a round, the proxy is closed at the end.
 */
final class GracefulShutdown {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final long ROUND_MILLIS = 100;
    /** After the timeout, how long the cut-off clients' errors have to leave before the sockets close. */
    private static final long LAST_WORDS_MILLIS = 500;

    private final ProxyServer server;
    private final Sessions sessions;
    private final TrafficGate gate;
    private final long timeoutMillis;

    GracefulShutdown(ProxyServer server, Sessions sessions, TrafficGate gate) {
        this.server = server;
        this.sessions = sessions;
        this.gate = gate;
        this.timeoutMillis = server.config().settings().value(Setting.SHUTDOWN_TIMEOUT);
    }

    void begin() {
        gate.drain();
        log.info("draining: {} client session(s); open transactions may finish within shutdown_timeout ({} ms)",
                sessions.count(), timeoutMillis);
        Thread drain = new Thread(this::drainThenClose, "mysqlmux-shutdown");
        drain.start();
    }

    private void drainThenClose() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (sessions.count() > 0 && System.nanoTime() - deadline < 0) {
                forEachSession(session -> {
                    if (session.isIdle() && !session.inTransaction()) {
                        session.fail(ProxyError.SHUTTING_DOWN.packet(), 1);
                    }
                });
                Thread.sleep(ROUND_MILLIS);
            }
            if (sessions.count() > 0) {
                log.warn("shutdown_timeout reached with {} session(s) still in a transaction; rolling them back and"
                        + " closing them", sessions.count());
                forEachSession(session -> cutOff(session, ProxyError.SHUTDOWN_TIMEOUT_REACHED.packet(timeoutMillis)));
                Thread.sleep(LAST_WORDS_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("graceful shutdown failed; closing now", e);
        } finally {
            server.close();
        }
    }

    /**
     * A client between commands gets {@code error} (it reads it with its next command); one in the
     * middle of a command is closed (an error would land inside a response).
     */
    private static void cutOff(ClientSession session, ErrPacket error) {
        if (session.isIdle()) {
            session.fail(error, 1);
        } else {
            session.close("cut off: " + error.message());
        }
    }

    private void forEachSession(java.util.function.Consumer<ClientSession> action) {
        for (ClientSession session : sessions.all()) {
            try {
                session.executor().execute(() -> action.accept(session));
            } catch (RejectedExecutionException stopping) {
                // its loop is already stopping: closing will end it
            }
        }
    }
}
