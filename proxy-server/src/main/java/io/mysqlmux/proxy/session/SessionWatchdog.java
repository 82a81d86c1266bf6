package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.sql.StatementDigest;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client-side timeouts: {@code client.idle_timeout}, the leak guard {@code
 * client.idle_in_transaction_timeout}, and the one-time {@code client.leak_warning_threshold} log
 * of a session that holds a server connection for long. One round per event loop, twice a second,
 * over the sessions of that loop only, on that loop: no timer per session to move on every command
 * (a command only updates a timestamp the session keeps anyway), and no session is read from
 * another thread.
 */
public final class SessionWatchdog {
    private static final Logger log = LoggerFactory.getLogger(SessionWatchdog.class);
    private static final long PERIOD_MILLIS = 500;

    private final Settings settings;
    private final ProxyStats stats;
    private final Map<EventExecutor, LoopSessions> loops = new ConcurrentHashMap<>();

    public SessionWatchdog(Settings settings, ProxyStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    /** Starts watching {@code session}; on its event loop. */
    void watch(ClientSession session) {
        loops.computeIfAbsent(session.executor(), LoopSessions::new).sessions.add(session);
    }

    /** Stops watching {@code session}; on its event loop. */
    void forget(ClientSession session) {
        LoopSessions loop = loops.get(session.executor());
        if (loop != null) {
            loop.sessions.remove(session);
        }
    }

    /** Stops every round (shutdown). */
    public void close() {
        loops.values().forEach(loop -> loop.round.cancel(false));
    }

    /** The sessions of one event loop, touched only on that loop. */
    private final class LoopSessions {
        private final Set<ClientSession> sessions = new LinkedHashSet<>();
        private final ScheduledFuture<?> round;

        LoopSessions(EventExecutor loop) {
            this.round = loop.scheduleAtFixedRate(this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void check() {
            if (sessions.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            long idleLimit = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.CLIENT_IDLE_TIMEOUT));
            long idleInTransactionLimit = TimeUnit.MILLISECONDS.toNanos(
                    settings.value(Setting.CLIENT_IDLE_IN_TRANSACTION_TIMEOUT));
            long leakThreshold = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.CLIENT_LEAK_WARNING_THRESHOLD));
            long stallLimit = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.CLIENT_RESPONSE_STALL_CHECK));
            // A copy: ending a session removes it from the set.
            for (ClientSession session : sessions.toArray(new ClientSession[0])) {
                try {
                    checkOne(session, now, idleLimit, idleInTransactionLimit, leakThreshold);
                    if (stallLimit > 0) {
                        ResponseStallCheck.consider(session, now, stallLimit);
                    }
                } catch (RuntimeException e) {
                    log.error("{}: timeout check failed", session, e);
                }
            }
        }
    }

    private void checkOne(ClientSession session, long now, long idleLimit, long idleInTransactionLimit,
                          long leakThreshold) {
        if (leakThreshold > 0 && session.backend() != null && !session.lease().heldWarned()
                && now - session.lease().heldSinceNanos() >= leakThreshold) {
            session.lease().heldWarned(true);
            stats.leakWarning();
            PinReason hold = session.pin() != null ? session.pin()
                    : ServerStatus.isInTransaction(session.status()) ? PinReason.TRANSACTION : null;
            log.warn("possible connection leak: client {} (user {}, from {}) has held server connection {} for {} s"
                            + " ({}, {}); last statement: {}", session.id(), session.user(), session.address(),
                    session.backend(), TimeUnit.NANOSECONDS.toSeconds(now - session.lease().heldSinceNanos()),
                    hold == null ? "running" : hold.description(), session.state().name().toLowerCase(),
                    StatementDigest.of(session.lastStatement()));
        }
        if (!session.isIdle()) {
            return;
        }
        long idleFor = now - session.stateSinceNanos();
        boolean inTransaction = session.backend() != null && ServerStatus.isInTransaction(session.status());
        if (inTransaction && idleInTransactionLimit > 0 && idleFor >= idleInTransactionLimit) {
            stats.idleInTransactionTimeout();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(idleInTransactionLimit);
            log.warn("client {} (user {}, from {}) idle in a transaction for {} s on {}: rolled back and closed"
                            + " (client.idle_in_transaction_timeout); last statement: {}", session.id(), session.user(),
                    session.address(), TimeUnit.NANOSECONDS.toSeconds(idleFor), session.backend(),
                    StatementDigest.of(session.lastStatement()));
            session.fail(ProxyError.IDLE_IN_TRANSACTION_TIMEOUT.packet(seconds), 1);
        } else if (idleLimit > 0 && idleFor >= idleLimit) {
            stats.idleTimeout();
            log.info("client {} (user {}, from {}) closed after {} s without a command (client.idle_timeout)",
                    session.id(), session.user(), session.address(), TimeUnit.NANOSECONDS.toSeconds(idleFor));
            session.fail(ProxyError.IDLE_TIMEOUT.packet(TimeUnit.NANOSECONDS.toSeconds(idleLimit)), 1);
        }
    }
}
