package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a pool does when the server will not give it another connection (ERROR 1040 "Too many
 * connections", a refused TCP connect, a login timeout): stop opening connections for a while that
 * doubles with each failure (with jitter, so that many proxies do not come back in step), keep
 * serving the queue with the connections it has, log the episode once rather than per client, and
 * count every refusal.
 */
final class GrowthBackoff {
    private static final Logger log = LoggerFactory.getLogger(GrowthBackoff.class);
    private static final long FIRST_DELAY_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 10_000;

    private final PoolKey key;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong serverRefusals = new AtomicLong();
    private long delayMillis;
    private volatile long blockedUntilNanos;
    private boolean inEpisode;
    private long episodeStartNanos;
    private int episodeFailures;

    GrowthBackoff(PoolKey key) {
        this.key = key;
    }

    /** Whether the pool may try to open a connection now. */
    boolean allowsGrowth() {
        return System.nanoTime() - blockedUntilNanos >= 0;
    }

    /**
     * A connection attempt failed; returns how long to wait before trying again.
     *
     * @param openNow connections the pool still has to serve its queue with
     */
    synchronized long failed(String reason, ErrPacket serverError, int openNow) {
        failures.incrementAndGet();
        if (serverError != null && serverError.code() == ErrorCode.ER_CON_COUNT_ERROR.code()) {
            serverRefusals.incrementAndGet();
        }
        delayMillis = delayMillis == 0 ? FIRST_DELAY_MILLIS : Math.min(MAX_DELAY_MILLIS, delayMillis * 2);
        long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
        blockedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
        episodeFailures++;
        if (!inEpisode) {
            inEpisode = true;
            episodeStartNanos = System.nanoTime();
            log.warn("pool {}: the server refused a new connection ({}); the pool stops growing and serves its"
                            + " queue with the {} connection(s) it has, retrying with backoff. Raise the server's"
                            + " max_connections or lower pool.max_size / backend.max_connections",
                    key, serverError != null ? serverError.toString() : reason, openNow);
        } else {
            log.debug("pool {}: connection attempt failed again ({}); next try in {} ms", key, reason, jittered);
        }
        return jittered;
    }

    /**
     * A connection opened. The episode, if any, is over, unless that attempt had started before it
     * (attempts run in parallel: one that got in early says nothing about the server now).
     */
    synchronized void succeeded(long attemptStartedNanos) {
        if (inEpisode && attemptStartedNanos - episodeStartNanos < 0) {
            return;
        }
        if (inEpisode) {
            log.info("pool {}: the server accepts connections again after {} refused attempt(s)", key, episodeFailures);
        }
        inEpisode = false;
        episodeFailures = 0;
        delayMillis = 0;
        blockedUntilNanos = System.nanoTime();
    }

    /** Failed connection attempts since start. */
    long failures() {
        return failures.get();
    }

    /** Of those, how many the server refused with ERROR 1040. */
    long serverRefusals() {
        return serverRefusals.get();
    }
}
