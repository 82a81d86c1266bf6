package io.mysqlmux.proxy.session;

import java.util.Locale;

/**
 * What a client session is doing, as SHOW CLIENTS and the metrics name it: the states an operator
 * needs to tell a waiting client from a leaking one.
 */
public enum SessionActivity {
    /** Nothing running, no server connection held. */
    IDLE,
    /** Its command waits in a pool's queue (or behind PAUSE). */
    WAITING,
    /** A command is running on a server connection. */
    ACTIVE,
    /** Between commands inside a transaction: it holds a server connection. */
    IN_TRANSACTION,
    /** Between commands, holding a server connection for state that cannot move (see its reason). */
    PINNED,
    /** Gone (listed only while its last moments are being counted). */
    CLOSED;

    /** From what the session does, the state of its command under way (or null), and why it holds a connection. */
    static SessionActivity of(ClientSession.State state, CommandExchange.State command, PinReason hold) {
        if (state == ClientSession.State.CLOSED) {
            return CLOSED;
        }
        if (command == CommandExchange.State.ACQUIRING) {
            return WAITING;
        }
        if (command != null || state != ClientSession.State.IDLE) {
            return ACTIVE;
        }
        return hold == null ? IDLE : hold == PinReason.TRANSACTION ? IN_TRANSACTION : PINNED;
    }

    /** {@code in-transaction}: the word SHOW CLIENTS prints. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
