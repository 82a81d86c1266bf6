package io.mysqlmux.admin;

import java.util.Map;

/**
 * The counters {@code SHOW STATS} shows, named after the server status variables operators know
 * where there is one. Maps are ordered as they should be shown.
 *
 * @param clientConnections        client connections now ({@code Threads_connected})
 * @param clientConnectionsPeak    most at once since start ({@code Max_used_connections})
 * @param serverConnections        server connections now, all pools
 * @param serverConnectionsPeak    most at once since start
 * @param rejectedByReason         refused logins by reason, e.g. {@code max_client_connections}, {@code access_denied}
 * @param abortedClients           client connections that ended without COM_QUIT ({@code Aborted_clients})
 * @param queries                  commands run ({@code Questions})
 * @param transactions             transactions that ended (commit or rollback)
 * @param queueWaits               commands that had to wait for a server connection
 * @param queueTimeouts            of those, how many gave up
 * @param bytesFromClients         bytes received from clients ({@code Bytes_received})
 * @param bytesToClients           bytes sent to clients ({@code Bytes_sent})
 * @param waitPercentilesMillis    per pool: p50, p95, p99 and max of the queue wait, e.g. {@code app@db:3306 -> [0.1, 2, 9, 40]}
 * @param sessionsPerServerConnection     client sessions per server connection now
 * @param sessionsPerServerConnectionPeak the highest that ratio was
 * @param pinnedByReason           sessions pinned now, by reason
 */
public record StatsView(long clientConnections, long clientConnectionsPeak, long serverConnections,
                        long serverConnectionsPeak, Map<String, Long> rejectedByReason, long abortedClients,
                        long queries, long transactions, long queueWaits, long queueTimeouts,
                        long bytesFromClients, long bytesToClients, Map<String, double[]> waitPercentilesMillis,
                        double sessionsPerServerConnection, double sessionsPerServerConnectionPeak,
                        Map<String, Long> pinnedByReason) {
}
