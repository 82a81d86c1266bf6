package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.FreezingRelay;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A response whose end never reaches the proxy must not hang the client for ever (issue 12): the
 * stall check asks the server, and a server that has finished means the client gets an error,
 * while a statement that is still running is left alone.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class ResponseStallIT {

    @Test
    void aResponseTheServerFinishedButTheProxyNeverSawEndsWithAnError(EmbeddedMariaDb db) throws Exception {
        try (FreezingRelay relay = FreezingRelay.start(db.host(), db.port());
             ProxyFixture proxy = ProxyFixture.startAt(db, "127.0.0.1", relay.port(),
                     Map.of("pool.max_size", 2, "client.response_stall_check", "2s"));
             Connection stuck = proxy.connect(); Connection other = proxy.connect()) {
            Sql.exec(stuck, "SELECT 1");
            relay.freezeOpenConnections();
            long started = System.nanoTime();
            SQLException error = assertThrows(SQLException.class, () -> Sql.one(stuck, "SELECT 2"));
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertEquals(1184, error.getErrorCode(), error.getMessage());
            assertTrue(error.getMessage().contains("lost track of the server's answer"), error.getMessage());
            assertTrue(seconds < 20, "ended after " + seconds + " s, not left waiting");
            assertEquals("3", Sql.one(other, "SELECT 3"), "other clients are served meanwhile and after");
        }
    }

    @Test
    void aStatementStillRunningIsLeftAlone(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("client.response_stall_check", "1s"));
             Connection slow = proxy.connect()) {
            assertEquals("0", Sql.one(slow, "SELECT SLEEP(4)"), "four seconds without a packet, still running");
        }
    }
}
