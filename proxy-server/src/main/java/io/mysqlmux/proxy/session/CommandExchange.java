package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.ServerStatements;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One client command on its way through a server connection, from the moment it needs one to the
 * end of its response:
 *
 * <pre>
 *   ACQUIRING ──▶ SYNCING ──▶ PREPARING ──▶ RUNNING ⇄ LOCAL_INFILE
 *       ▲  (held: straight to SYNCING)         │
 *       └── connection found dead, unsent ─────┤ end of response
 *                                              ▼
 *                                        FOLLOWING_UP ──▶ DONE
 * </pre>
 *
 * SYNCING brings the connection's session state in line with the session's ({@link SessionSync});
 * PREPARING makes sure a statement command's statement exists there ({@link StatementSync});
 * RUNNING relays the response packet by packet ({@link ServerResponse}); FOLLOWING_UP runs what
 * must happen on the connection before it may move on ({@link FollowUps}). Any state may end in DONE
 * early when the session ends ({@link #abandon}); callbacks that arrive afterwards find it DONE and
 * do nothing, because {@link SessionLease#endOfSession} already gave the connection back.
 *
 * <p>The login's schema check is an exchange without a command: it ends after SYNCING with the
 * login OK.
 */
final class CommandExchange implements SessionLease.Listener, SessionSync.Listener, StatementSync.Listener {
    private static final Logger log = LoggerFactory.getLogger(CommandExchange.class);

    enum State { ACQUIRING, SYNCING, PREPARING, RUNNING, LOCAL_INFILE, FOLLOWING_UP, DONE }

    private final ClientSession session;
    private final CommandCode code;
    private final ClientStatement statement;
    private final StatementTraits traits;
    private final PrepareCapture prepare;
    /** The login OK's sequence id for the login's schema check, else -1. */
    private final int loginOkSequenceId;
    /** The proxy's own command (closing a cursor): its answer is not for the client. */
    private boolean silent;
    /** The statement text when FOUND_ROWS() is decided once the connection is known, else null. */
    private byte[] foundRowsText;
    /** Rows of the session's copied diagnostics to put in the server's empty SHOW WARNINGS, or null. */
    private List<byte[]> injected;
    private final long startNanos = System.nanoTime();
    /** The command, owned here until it is written. */
    private ByteBuf frames;
    /** The session held its connection before this command: its state lives there and cannot move. */
    private boolean heldBefore;
    private State state;

    private CommandExchange(ClientSession session, ByteBuf frames, CommandCode code, ClientStatement statement,
                            StatementTraits traits, PrepareCapture prepare, int loginOkSequenceId) {
        this.session = session;
        this.frames = frames;
        this.code = code;
        this.statement = statement;
        this.traits = traits;
        this.prepare = prepare;
        this.loginOkSequenceId = loginOkSequenceId;
    }

    /** A command for the server (frames consumed). */
    static CommandExchange of(ClientSession session, ByteBuf frames, CommandCode code, StatementTraits traits) {
        return new CommandExchange(session, frames, code, null, traits, null, -1);
    }

    /** A command on a client statement, whose id is rewritten to the connection's (frames consumed). */
    static CommandExchange onStatement(ClientSession session, ByteBuf frames, CommandCode code,
                                       ClientStatement statement) {
        return new CommandExchange(session, frames, code, statement, StatementTraits.NONE, null, -1);
    }

    /** A COM_STMT_PREPARE whose answer is relayed and captured (frames consumed). */
    static CommandExchange prepare(ClientSession session, ByteBuf frames, PrepareCapture capture) {
        return new CommandExchange(session, frames, CommandCode.COM_STMT_PREPARE, null, StatementTraits.NONE,
                capture, -1);
    }

    /** The login's check that the schema it names exists: sync to it, then the login OK. */
    static CommandExchange schemaCheck(ClientSession session, int okSequenceId) {
        return new CommandExchange(session, null, null, null, StatementTraits.NONE, null, okSequenceId);
    }

    /**
     * The proxy's own command on the held connection, whose answer the client does not see (a
     * COM_STMT_RESET that closes the cursor of a statement the client closed; frames consumed).
     */
    static CommandExchange silent(ClientSession session, ByteBuf frames, CommandCode code) {
        CommandExchange exchange = new CommandExchange(session, frames, code, null, StatementTraits.NONE, null, -1);
        exchange.silent = true;
        return exchange;
    }

    /** A COM_QUERY as QueryPreparation left it: FOUND_ROWS() decided at send, or diagnostics rows to add. */
    CommandExchange prepared(byte[] foundRowsAtSend, List<byte[]> diagnosticsRows) {
        foundRowsText = foundRowsAtSend;
        injected = diagnosticsRows;
        return this;
    }

    State state() {
        return state;
    }

    CommandCode code() {
        return code;
    }

    ClientStatement statement() {
        return statement;
    }

    StatementTraits traits() {
        return traits;
    }

    long startNanos() {
        return startNanos;
    }

    /** Where a COM_STMT_PREPARE's answer is captured, or null. */
    PrepareCapture prepareCapture() {
        return prepare;
    }

    private void moveTo(State next) {
        if (state != State.DONE) {
            state = next;
        }
    }

    /** True while packets from the held connection belong to this exchange's response. */
    boolean isReceiving() {
        return state == State.RUNNING || state == State.LOCAL_INFILE;
    }

    /** True from the first command sent on the connection for this exchange until its last answer. */
    boolean isUnderWay() {
        return state != null && state != State.ACQUIRING && state != State.DONE;
    }

    // ---- acquire ----

    void start() {
        heldBefore = session.lease().isHeld();
        session.tracked().beforeStatement(statement != null ? statement.traits() : traits);
        if (session.lease().isHeld()) {
            sync();
        } else {
            moveTo(State.ACQUIRING);
            session.lease().acquire(this);
        }
    }

    @Override
    public void leased() {
        if (state == State.ACQUIRING) {
            sync();
        }
    }

    @Override
    public void leaseFailed(ErrPacket error) {
        if (state != State.ACQUIRING) {
            return;
        }
        if (loginOkSequenceId >= 0) {
            session.fail(error, loginOkSequenceId);
            return;
        }
        fail(error, session.status());
    }

    /** The connection broke before anything of the command was sent: another one, a bounded number of times. */
    private void replaceConnection(String why) {
        if (heldBefore) {
            session.reader().lost(why);
            return;
        }
        log.info("{}: server connection {} unusable ({}); trying another", session, session.backend(), why);
        moveTo(State.ACQUIRING);
        session.lease().replaceBroken(why, this);
    }

    // ---- sync ----

    private void sync() {
        moveTo(State.SYNCING);
        SessionSync.run(session.backend(), session.executor(), session.tracked(), session, this);
    }

    @Override
    public void synced() {
        if (state != State.SYNCING) {
            return;
        }
        if (loginOkSequenceId >= 0) {
            session.services().pools().schemaExists(session.tracked().wanted().schema());
            session.reply(session.response().loginOk(loginOkSequenceId, session.status(), session.schema()));
            finish(session.backend().statusFlags());
        } else if (statement != null) {
            moveTo(State.PREPARING);
            StatementSync.ensure(session.backend(), session.executor(), statement, session.pool().statistics(), this);
        } else {
            send();
        }
    }

    /** The statement exists on the connection: the command is bound to its id there and sent. */
    @Override
    public void ready(ServerStatements.Entry entry) {
        if (state == State.PREPARING && StatementCommands.bind(this, entry)) {
            send();
        }
    }

    /** The server refused the session's state or the statement: the client gets the error. */
    @Override
    public void refused(ErrPacket error) {
        if (state != State.SYNCING && state != State.PREPARING) {
            return;
        }
        if (loginOkSequenceId >= 0) {
            session.fail(error, loginOkSequenceId);
        } else {
            fail(error, session.backend().statusFlags());
        }
    }

    @Override
    public void lost(BackendConnection connection, String why) {
        lost(why);
    }

    @Override
    public void lost(String why) {
        if (state == State.SYNCING || state == State.PREPARING) {
            replaceConnection(why);
        }
    }

    // ---- send and relay ----

    private void send() {
        BackendConnection backend = session.backend();
        if (!backend.attach(session.reader())) {
            replaceConnection("the connection closed before the command was sent");
            return;
        }
        moveTo(State.RUNNING);
        if (code == CommandCode.COM_STMT_PREPARE) {
            StatementSync.closeOnServer(backend, backend.statements().makeRoom());
        }
        if (foundRowsText != null) {
            frames = QueryPreparation.atSend(frames, foundRowsText, traits, session,
                    heldBefore || session.lease().onLastConnectionUntouched());
        }
        ExpectedResponse expected = ExpectedResponse.forCommand(code);
        session.response().begin(backend, expected, Packets.lastSequenceId(frames), prepare, injected, silent);
        backend.commandSent();
        ByteBuf command = frames;
        frames = null;
        backend.write(command);
        if (expected == ExpectedResponse.NONE) {
            // COM_STMT_SEND_LONG_DATA: no answer; the data waits on this connection for the execute.
            session.statements().longDataSent(statement.id());
            finish(session.status());
        }
    }

    /** One packet of the response (consumed). */
    void onPacket(ByteBuf frame) {
        switch (session.response().onPacket(frame, session.tracked())) {
            case FILE_REQUESTED -> moveTo(State.LOCAL_INFILE);
            case DONE -> endResponse(session.backend().tracker());
            case BROKEN -> session.close("unreadable server response");
            default -> { }
        }
    }

    /** One packet of the client's LOCAL INFILE file (consumed). */
    void onFilePacket(ByteBuf frame) {
        if (session.response().forwardFile(frame, session.backend())) {
            moveTo(State.RUNNING);
        }
    }

    private void endResponse(ResponseTracker tracker) {
        int finalStatus = ResponseEnding.apply(this, session, tracker);
        TrackedState tracked = session.tracked();
        boolean restoreTracking = tracked.takeTrackingChanged();
        List<String> toRead = tracked.takeVariablesToRead();
        if (!restoreTracking && toRead.isEmpty()) {
            finish(finalStatus);
            return;
        }
        moveTo(State.FOLLOWING_UP);
        FollowUps.run(session.backend(), session.executor(), tracked, restoreTracking, toRead,
                session.response()::trackingRead, problem -> {
            if (state != State.FOLLOWING_UP) {
                return;
            }
            if (problem != null) {
                log.warn("{}: {} on {}; closing", session, problem, session.backend());
                session.close("server connection unusable");
            } else {
                finish(finalStatus);
            }
        });
    }

    // ---- ending ----

    /**
     * The command could not run on the connection (the server refused the state or the statement,
     * or the proxy could not bind it): the client gets {@code error} and the connection goes on.
     */
    void fail(ErrPacket error, int status) {
        release();
        session.replyError((error));
        finish(status);
    }

    /**
     * The exchange is over: the connection goes back to the pool unless a transaction, a cursor, long
     * data or unmovable state holds it with the session ({@link MultiplexPolicy}).
     */
    private void finish(int finalStatus) {
        if (state == State.DONE) {
            return;
        }
        BackendConnection held = session.backend();
        PinReason hold = session.tracked().holdFor(finalStatus);
        if (held != null && hold == null && session.tracked().diagnostics().where() == SessionDiagnostics.Where.ON_SERVER) {
            // The session's warnings live on this connection: copied before anyone else may use it.
            moveTo(State.FOLLOWING_UP);
            FollowUps.copyDiagnostics(held, session.executor(), session.tracked().diagnostics(), problem -> {
                if (state == State.FOLLOWING_UP) {
                    state = State.DONE;
                    giveBack(held, null);
                }
            });
            return;
        }
        state = State.DONE;
        giveBack(held, hold);
    }

    private void giveBack(BackendConnection held, PinReason hold) {
        if (session.lease().afterCommand(held, hold)) {
            session.commandDone(this);
        }
    }

    /**
     * The session ended. Returns true when the command was under way on the connection (its response
     * position unknown, so the connection must be closed).
     */
    boolean abandon() {
        boolean underWay = isUnderWay();
        state = State.DONE;
        release();
        return underWay;
    }

    private void release() {
        if (frames != null) {
            frames.release();
            frames = null;
        }
    }

    // ---- for StatementCommands.bind ----

    /** The command not yet sent (statement commands rewrite it in place). */
    ByteBuf frames() {
        return frames;
    }

    void frames(ByteBuf replacement) {
        frames = replacement;
    }

    ClientSession session() {
        return session;
    }
}
