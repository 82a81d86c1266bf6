package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.ServerInfoHolder;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;

import java.util.concurrent.TimeUnit;

/**
 * How long a pooled server connection may live and sit idle. The server ends a connection that was
 * idle for {@code wait_timeout}; a client must never be lent one that is about to go ("MySQL server
 * has gone away" is a proxy bug), so both bounds stay below the server's, with a margin. Read at each
 * check, so that a changed setting applies to connections already open.
 */
final class ConnectionLifetime {
    private static final long MIN_MARGIN_MILLIS = 1000;

    private final Settings settings;
    private final ServerInfoHolder serverInfo;
    private final Pools pools;

    ConnectionLifetime(Settings settings, ServerInfoHolder serverInfo, Pools pools) {
        this.settings = settings;
        this.serverInfo = serverInfo;
        this.pools = pools;
    }

    /** {@code pool.max_lifetime}, never beyond what the server's wait_timeout allows. */
    long lifetimeMillis() {
        return bounded(settings.value(Setting.POOL_MAX_LIFETIME));
    }

    /** {@code pool.idle_timeout}, never beyond what the server's wait_timeout allows. */
    long idleLimitMillis() {
        return bounded(settings.value(Setting.POOL_IDLE_TIMEOUT));
    }

    /** Whether {@code connection} has reached its (jittered) end of life at {@code nowNanos}. */
    boolean expired(PooledConnection connection, long nowNanos) {
        if (pools.openedBeforeAccountsChanged(connection.createdNanos())) {
            return true; // it carries privileges from before a GRANT or REVOKE
        }
        long lifetime = lifetimeMillis();
        if (lifetime == Long.MAX_VALUE) {
            return false;
        }
        long allowedNanos = (long) (TimeUnit.MILLISECONDS.toNanos(lifetime) * connection.lifetimeShare());
        return nowNanos - connection.createdNanos() >= allowedNanos;
    }

    /** Whether {@code connection} sat on a shelf longer than the idle limit. */
    boolean idleTooLong(PooledConnection connection, long nowNanos) {
        long limit = idleLimitMillis();
        return limit != Long.MAX_VALUE && nowNanos - connection.shelvedAtNanos() >= TimeUnit.MILLISECONDS.toNanos(limit);
    }

    /** {@code configured} (0 = none) capped below the server's wait_timeout, or MAX_VALUE for no limit. */
    private long bounded(long configured) {
        long server = serverBoundMillis();
        long limit = configured == 0 ? Long.MAX_VALUE : configured;
        return Math.min(limit, server);
    }

    /** wait_timeout less 5% (at least a second, at most half of it), or MAX_VALUE before the server is known. */
    private long serverBoundMillis() {
        if (!serverInfo.isKnown()) {
            return Long.MAX_VALUE;
        }
        long wait = TimeUnit.SECONDS.toMillis(serverInfo.get().waitTimeoutSeconds());
        long margin = Math.min(wait / 2, Math.max(MIN_MARGIN_MILLIS, wait / 20));
        return wait - margin;
    }
}
