package io.mysqlmux.proxy.control;

import io.mysqlmux.proxy.config.ProxyConfig;

/** What the control view may do to the running proxy as a whole (implemented by the proxy itself). */
public interface Lifecycle {

    /** True once the server was reached and clients get greetings. */
    boolean isReady();

    /** The configuration as it reads now from its source (RELOAD). */
    ProxyConfig rereadConfig();

    /** Stops the proxy: at once, or after open transactions finish within shutdown_timeout. */
    void shutdown(boolean graceful);
}
