package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.proxy.backend.KillSender;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.sql.StatementTraits.KillStatement;
import io.netty.channel.EventLoop;

/**
 * KILL and COM_PROCESS_KILL name the proxy's client ids (the ids clients saw in their greetings,
 * which Connector/J's query timeout sends from a second connection). The target's running statement
 * is stopped with KILL QUERY on its server connection, sent on a connection of its own; the target
 * keeps that server connection until the KILL is done, so no other client's statement can be hit.
 * As on the server, a user may kill only its own sessions.
 */
public final class SessionKills {

    private SessionKills() {
    }

    static void kill(ClientSession killer, KillStatement kill) {
        if (!kill.supported()) {
            killer.replyError((ProxyError.UNSUPPORTED_COMMAND.packet(
                    "KILL QUERY ID and KILL USER (use KILL [QUERY] <connection id>)")));
            return;
        }
        ClientSession target = killer.services().sessions().get(kill.id());
        if (target == null) {
            killer.replyError((ErrPacket.of(ErrorCode.ER_NO_SUCH_THREAD, "Unknown thread id: " + kill.id())));
            return;
        }
        if (!target.user().equals(killer.user())) {
            killer.replyError((ErrPacket.of(ErrorCode.ER_KILL_DENIED_ERROR,
                    "You are not owner of thread " + kill.id())));
            return;
        }
        killer.answerLater();
        target.executor().execute(() -> {
            long serverThread = beginKill(target, !kill.query());
            killer.executor().execute(() -> sendKill(killer, target, serverThread));
        });
    }

    /**
     * The admin's KILL: a running statement is stopped on the server first (KILL QUERY on a
     * connection of its own), then the client gets ERROR 1927 and is closed; its server connection
     * is cleaned before reuse. Runs the steps on the target's loop.
     */
    public static void killByAdmin(ClientSession target) {
        target.executor().execute(() -> {
            long serverThread = beginKill(target, true);
            if (serverThread < 0) {
                return;
            }
            SessionServices services = target.services();
            KillSender.killQuery(services.pools().connector(), services.users().get(target.user()), serverThread,
                    (EventLoop) target.executor(), error -> killDone(target));
        });
    }

    private static void sendKill(ClientSession killer, ClientSession target, long serverThread) {
        if (serverThread < 0) {
            killer.reply(killer.ok(1));
            killer.commandDone(null);
            return;
        }
        SessionServices services = killer.services();
        KillSender.killQuery(services.pools().connector(), services.users().get(killer.user()), serverThread,
                (EventLoop) killer.executor(), error -> {
                    target.executor().execute(() -> killDone(target));
                    killer.reply(error == null ? killer.ok(1) : killer.client().err(error));
                    killer.commandDone(null);
                });
    }

    /**
     * On the target's loop: returns the server thread to send KILL QUERY to, or -1 when nothing runs
     * (then a KILL CONNECTION ends the session at once). Until {@link #killDone} the target keeps its
     * connection, so that the KILL cannot hit another client's statement.
     */
    private static long beginKill(ClientSession target, boolean closeToo) {
        CommandExchange running = target.exchange();
        if (target.isClosed() || target.backend() == null || running == null || !running.isUnderWay()) {
            if (closeToo) {
                killed(target);
            }
            return -1;
        }
        target.lease().killStarted(closeToo);
        return target.backend().serverThreadId();
    }

    /** On the target's loop: a KILL QUERY for it is done; a KILL CONNECTION now closes it. */
    private static void killDone(ClientSession target) {
        SessionLease lease = target.lease();
        boolean close = lease.closeAfterKill();
        if (!lease.killDone() || target.isClosed()) {
            return;
        }
        if (close) {
            killed(target);
        } else if (target.exchange() == null && lease.isHeld() && target.holdReason() == null) {
            lease.release();
        }
    }

    private static void killed(ClientSession target) {
        target.fail(ErrPacket.of(ErrorCode.ER_CONNECTION_KILLED, "Connection was killed"), 0);
    }
}
