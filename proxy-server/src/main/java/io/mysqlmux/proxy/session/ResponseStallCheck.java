package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.SideQuery;
import io.mysqlmux.proxy.error.ProxyError;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard against a response that never ends. A response that has had no packet for a while is
 * either a statement still running (SLEEP, a long scan: left alone) or a response whose end the
 * proxy missed. The server tells which: on a connection of its own, the processlist says whether the
 * server thread still works on a command. An idle thread means the server has sent everything; the
 * client gets an error instead of a wait for ever, and the connection, whose position in the
 * protocol is unknown, is closed.
 */
final class ResponseStallCheck {
    private static final Logger log = LoggerFactory.getLogger(ResponseStallCheck.class);

    private ResponseStallCheck() {
    }

    /** On the session's loop, from the watchdog's round. */
    static void consider(ClientSession session, long nowNanos, long limitNanos) {
        CommandExchange running = session.exchange();
        ServerResponse response = session.response();
        BackendConnection held = session.backend();
        if (running == null || held == null || !running.isReceiving() || response.stallCheckRunning()
                || nowNanos - response.lastPacketNanos() < limitNanos) {
            return;
        }
        response.stallCheckStarted();
        long quietSeconds = (nowNanos - response.lastPacketNanos()) / 1_000_000_000L;
        long thread = held.serverThreadId();
        SessionServices services = session.services();
        SideQuery.run(services.pools().connector(), services.users().get(session.user()),
                "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = " + thread,
                (EventLoop) session.executor(), result -> {
                    response.stallCheckDone();
                    if (session.exchange() != running || session.backend() != held || !running.isReceiving()) {
                        return; // the response ended meanwhile
                    }
                    String command = result.succeeded() && !result.rows().isEmpty() ? result.rows().get(0)[0] : null;
                    if (!result.succeeded() || (command != null && !"Sleep".equals(command))) {
                        return; // still at work (or the check could not tell): look again later
                    }
                    log.warn("{}: no end of the response to {} after {} s while server thread {} is {}; mysqlmux lost"
                                    + " track of it (a proxy bug): ending it and closing {}", session, running.code(),
                            quietSeconds, thread,
                            command == null ? "gone" : "idle", held);
                    if (response.forwardedAny()) {
                        session.lease().discard("its response stalled");
                        session.close("response stalled");
                    } else {
                        session.lease().discard("its response stalled");
                        session.fail(ProxyError.RESPONSE_STALLED.packet(), 1);
                    }
                });
    }
}
