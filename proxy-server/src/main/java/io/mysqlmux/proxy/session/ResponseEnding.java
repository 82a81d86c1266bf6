package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.sql.StatementTraits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the end of a server response means for the session, worked out once the last packet was
 * relayed: the final status (an ERR carries none, so the last known one holds), the counters, the
 * prepared-statement bookkeeping, the pins only the statement text reveals, and a reset's fresh start.
 */
final class ResponseEnding {
    private static final Logger log = LoggerFactory.getLogger(ResponseEnding.class);

    private ResponseEnding() {
    }

    /** Applies the end of {@code exchange}'s response; returns its final status. */
    static int apply(CommandExchange exchange, ClientSession session, ResponseTracker tracker) {
        BackendConnection backend = session.backend();
        int seen = tracker.status() != ResponseTracker.NO_STATUS ? tracker.status() : backend.statusFlags();
        boolean failed = tracker.endedWithError();
        int finalStatus = failed ? MultiplexPolicy.statusAfterError(seen) : seen;
        SessionServices services = session.services();
        if (ServerStatus.isInTransaction(session.status()) && !ServerStatus.isInTransaction(finalStatus)) {
            services.stats().transactionEnded();
        }
        if (failed) {
            services.stats().serverError(tracker.errorCode());
        }
        services.stats().commandCompleted(System.nanoTime() - exchange.startNanos());
        backend.statusFlags(finalStatus);
        session.status(finalStatus);
        session.response().finish();
        StatementTraits traits = statementDone(exchange, session, finalStatus, failed);
        session.tracked().variablesAfterStatement(traits, failed, backend.sessionState());
        session.tracked().foundRowsOf(traits, tracker.affectedRows(), failed);
        session.tracked().diagnostics().statementEnded(traits, tracker.warnings(), failed);
        pinsOf(session, traits, session.response().failedOutright());
        if (exchange.code() == CommandCode.COM_RESET_CONNECTION && !failed) {
            startOver(session, backend);
        }
        if (!failed) {
            reachBeyond(traits, session);
        }
        return finalStatus;
    }

    /** What the command did to prepared statements; returns the traits to apply (the statement's, for an execute). */
    private static StatementTraits statementDone(CommandExchange exchange, ClientSession session, int finalStatus,
                                                 boolean failed) {
        if (exchange.prepareCapture() != null) {
            StatementCommands.prepared(session, exchange.prepareCapture(), failed);
            return StatementTraits.NONE;
        }
        if (exchange.statement() == null) {
            return exchange.traits();
        }
        return StatementCommands.executed(session, exchange.statement(), exchange.code(), finalStatus, failed);
    }

    /** After a statement: the pins only its text reveals, counted once each. */
    private static void pinsOf(ClientSession session, StatementTraits traits, boolean failedOutright) {
        TrackedState tracked = session.tracked();
        PinReason before = tracked.pin();
        tracked.afterStatement(traits, failedOutright);
        if (before == null && tracked.pin() != null) {
            session.services().sessions().pinned(tracked.pin());
            log.debug("{} pinned to {}: {}", session, session.backend(), tracked.pin().description());
        }
    }

    /** What the statement changed beyond its own server session: globals, accounts. */
    private static void reachBeyond(StatementTraits traits, ClientSession session) {
        if (traits.has(StatementTraits.ROLE)) {
            session.backend().carriesRole();
        }
        if (traits.has(StatementTraits.GLOBAL_SET)) {
            session.services().pools().globalsChanged();
        }
        if (traits.has(StatementTraits.PRIVILEGES)) {
            log.info("{} changed accounts or privileges; server connections log in again as they come free", session);
            session.services().pools().accountsChanged();
        }
    }

    /** COM_RESET_CONNECTION succeeded on {@code connection}: the session starts over as after login. */
    private static void startOver(ClientSession session, BackendConnection connection) {
        long epoch = session.services().pools().globalsEpoch();
        session.tracked().reset(epoch);
        connection.defaultsEpoch(epoch);
        session.response().resetTracking();
        connection.sessionState().resetVariables();
        connection.statements().clear();
        session.tracked().trackingMayChange();
    }
}
