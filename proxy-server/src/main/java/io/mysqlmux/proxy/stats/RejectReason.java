package io.mysqlmux.proxy.stats;

import java.util.Locale;

/** Why a client connection was refused before or at login (the label in SHOW STATS and metrics). */
public enum RejectReason {
    /** max_client_connections reached (ERROR 1040). */
    MAX_CLIENT_CONNECTIONS,
    /** The user's max_connections reached (ERROR 1226). */
    USER_MAX_CONNECTIONS,
    /** Wrong user or password (ERROR 1045). */
    ACCESS_DENIED,
    /** Login not finished within handshake_timeout. */
    HANDSHAKE_TIMEOUT,
    /** A malformed or unexpected login packet. */
    BAD_HANDSHAKE,
    /** The proxy is shutting down. */
    SHUTTING_DOWN;

    /** {@code max_client_connections}: how operators name it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
