package io.mysqlmux.admin;

/**
 * For Kubernetes probes: live while the process serves at all; ready when the server is reachable
 * and the proxy is neither paused nor draining.
 *
 * @param reason why not ready (empty when ready)
 */
public record Health(boolean live, boolean ready, String reason) {
}
