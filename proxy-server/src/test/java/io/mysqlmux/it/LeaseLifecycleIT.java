package io.mysqlmux.it;

import io.mysqlmux.testing.AdminView;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.LogCapture;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One owner for every server connection (issue 11): on a pool of ONE, a session that ends while it
 * holds the connection (transaction, user variable, temporary table), waits for it, or is mid-way
 * through a response, by every way a session ends, leaves the pool whole. Each case gets a proxy of
 * its own, so that a failure names exactly the case that broke the pool; {@link LeaseSeriesIT} plays
 * them all in one proxy, as the bug report did.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class LeaseLifecycleIT {

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        LeaseCaseRunner.createTable(db);
    }

    static List<LeaseCase> cases() {
        return LeaseCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sessionEndingLeavesThePoolWhole(LeaseCase c, EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1,
                "pool.queue_timeout", LeaseCaseRunner.QUEUE_TIMEOUT));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            String seen = new LeaseCaseRunner(proxy.port(), admin, server).run(c);
            System.out.println("LeaseLifecycleIT " + c + ": " + seen);
        }
    }

    /**
     * House rule 12: every disconnect logs one reason. A client that goes away in the middle of a big
     * result must not get a log line for every packet the proxy could no longer write to it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = LeaseCase.End.class, names = {"COM_QUIT", "FIN", "RST"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void clientGoneMidResultIsLoggedOnceNotOncePerPacket(LeaseCase.End end, EmbeddedMariaDb db) throws Exception {
        try (LogCapture logs = LogCapture.of("io.mysqlmux");
             ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1,
                     "pool.queue_timeout", LeaseCaseRunner.QUEUE_TIMEOUT));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            LeaseCaseRunner runner = new LeaseCaseRunner(proxy.port(), admin, server);
            runner.run(new LeaseCase(LeaseCase.Hold.BIG_RESULT, end));
            String id = Long.toString(runner.lastVictimId());
            List<String> aboutVictim = logs.messages().stream()
                    .filter(m -> m.startsWith("c" + id + " ") || m.contains("client " + id + " ")).toList();
            assertTrue(aboutVictim.size() <= 2, aboutVictim.size() + " log lines about client " + id
                    + ", the first three: " + aboutVictim.subList(0, Math.min(3, aboutVictim.size())));
        }
    }
}
