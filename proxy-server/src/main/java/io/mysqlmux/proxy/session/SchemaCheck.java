package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.backend.Pools;

/**
 * A client that names a schema at login must learn at login, as with a direct connection, when it
 * does not exist (ERR 1049) or is not allowed (ERR 1044). The first login naming a schema waits
 * for a server connection to accept it; later logins naming it need no round trip.
 */
public final class SchemaCheck {
    private final Pools pools;
    private boolean running;
    private int okSequenceId;

    public SchemaCheck(Pools pools) {
        this.pools = pools;
    }

    public boolean isKnown(String schema) {
        return pools.isKnownSchema(schema);
    }

    /** The login OK waits; it will carry {@code sequenceId}. */
    public void begin(int sequenceId) {
        running = true;
        okSequenceId = sequenceId;
    }

    public boolean isRunning() {
        return running;
    }

    public int okSequenceId() {
        return okSequenceId;
    }

    public void passed(String schema) {
        running = false;
        pools.schemaExists(schema);
    }
}
