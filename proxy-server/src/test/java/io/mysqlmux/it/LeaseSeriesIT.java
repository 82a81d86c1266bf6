package io.mysqlmux.it;

import io.mysqlmux.testing.AdminView;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bug report of issue 11, replayed: "With a pool of ONE connection and a series of two-session
 * cases (pinning, temporary tables, abrupt disconnects), later commands got 1226 'size 1/1, idle 0,
 * waiting 0' while no client held the connection and the server showed it idle (Sleep) for 400+ s:
 * a lease nobody owns." Every {@link LeaseCase} in turn against ONE proxy; after each the pool must
 * be whole. A case that fails is recorded and the series goes on while the pool still serves; once
 * it does not, the series stops there and names the case after which it broke.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class LeaseSeriesIT {

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        LeaseCaseRunner.createTable(db);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyCaseInOneProxyLeavesThePoolWholeForTheNext(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1,
                "pool.queue_timeout", LeaseCaseRunner.QUEUE_TIMEOUT));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            List<String> failures = runSeries(new LeaseCaseRunner(proxy.port(), admin, server), LeaseCase.all());
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " of " + LeaseCase.all().size()
                        + " cases in one proxy failed:\n" + String.join("\n\n", failures));
            }
        }
    }

    /** Plays the cases in order; returns a description per failed case (and of where the series stopped). */
    static List<String> runSeries(LeaseCaseRunner runner, List<LeaseCase> cases) {
        List<String> failures = new ArrayList<>();
        int played = 0;
        for (LeaseCase c : cases) {
            played++;
            try {
                System.out.println("series case " + played + " " + c + ": " + runner.run(c));
            } catch (Throwable e) {
                failures.add("case " + played + " (" + c + "): " + e);
                if (!runner.poolServes()) {
                    failures.add("the pool no longer serves a new client after case " + played + " (" + c
                            + "); the series stopped there, " + (cases.size() - played) + " cases not played:"
                            + runner.context());
                    break;
                }
            }
        }
        return failures;
    }
}
