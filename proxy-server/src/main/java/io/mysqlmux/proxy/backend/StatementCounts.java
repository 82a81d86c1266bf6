package io.mysqlmux.proxy.backend;

/** Where a connection's {@link ServerStatements} report what they hold (the pool's statistics). */
public interface StatementCounts {
    /** A statement was prepared on a connection. */
    void statementPrepared();

    /** A statement fell out of a connection's cache (closed on the server). */
    void statementEvicted();

    /** {@code count} statements are gone with their connection's reset or close. */
    void statementsGone(int count);
}
