package io.mysqlmux.proxy.config;

import java.time.Duration;

/**
 * Limits on client connections.
 *
 * @param maxPipelinedCommands commands buffered behind a running one before the proxy stops reading
 * @param handshakeTimeout     time a new connection has to finish logging in
 */
public record ClientConfig(int maxPipelinedCommands, Duration handshakeTimeout) {
}
