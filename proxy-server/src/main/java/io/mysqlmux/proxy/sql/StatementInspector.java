package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;
import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds, with {@link SqlLexer}, what session tracking does not report: user variables assigned in
 * ways the tracker misses ({@code SELECT ... INTO @x}, {@code @x := ...}, beside a system variable
 * in one SET), named locks, HANDLER, sequences, SET of variables that cannot be replayed,
 * SQL_CALC_FOUND_ROWS, the calls whose value belongs to the client session, KILL, and mentions of
 * the proxy's tracking settings. Looks at every statement of a multi-statement text.
 */
public final class StatementInspector {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StatementInspector.class);
    private static final Set<String> UNREPLAYABLE = Set.of("TIMESTAMP", "INSERT_ID", "IDENTITY", "RAND_SEED1",
            "RAND_SEED2", "GTID_NEXT", "GTID_SEQ_NO", "GTID_DOMAIN_ID", "SERVER_ID", "SQL_LOG_BIN",
            "PSEUDO_THREAD_ID", "PSEUDO_SLAVE_MODE", "SKIP_REPLICATION");
    private static final Set<String> SCOPES = Set.of("SESSION", "LOCAL", "GLOBAL", "PERSIST", "PERSIST_ONLY");
    /** Scopes of a SET that change the session's own value. */
    private static final Set<String> SESSION_SCOPES = Set.of("SESSION", "LOCAL");
    /** Words after SET that are a statement of their own, not a variable. */
    private static final Set<String> SET_FORMS = Set.of("NAMES", "CHARACTER", "CHARSET", "PASSWORD", "ROLE", "DEFAULT",
            "TRANSACTION");
    /** Words that end a select-list item (so a call just before them is the whole item). */
    private static final Set<String> CLAUSES = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
            "UNION", "FOR", "LOCK", "WINDOW", "INTERSECT", "EXCEPT", "PROCEDURE");
    /** What a CREATE or ALTER defines when its body is stored to run later, not run now. */
    private static final Set<String> STORED_PROGRAMS = Set.of("PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "VIEW",
            "PACKAGE");
    private static final Set<String> SELECT_MODIFIERS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY",
            "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_NO_CACHE", "SQL_CACHE",
            "SQL_CALC_FOUND_ROWS");

    private final SqlLexer lexer;
    private int flags;
    private final List<FunctionCall> calls = new ArrayList<>(0);
    private final List<String> variables = new ArrayList<>(0);
    private final List<String> oneShot = new ArrayList<>(0);
    private StatementTraits.KillStatement kill;

    // Per statement (reset at each top-level ';').
    private String firstWord;
    private int depth;
    private boolean selectList;
    private boolean itemStart;
    private boolean assignmentTarget;
    private boolean afterInto;
    private String previousWord;
    private int statementIndex;
    /** In a SET: whether the assignments go to the session (the last scope word decides). */
    private boolean sessionScope;
    /** In a SET STATEMENT: the assignments before FOR. */
    private boolean setStatement;
    /**
     * The rest of the text defines a stored program or view ({@code CREATE PROCEDURE ... BEGIN ...; END}):
     * nothing in it runs now, so it pins nothing and no value is put in; its inner ';' end nothing.
     */
    private boolean storedDefinition;

    private StatementInspector(SqlLexer lexer) {
        this.lexer = lexer;
    }

    public static StatementTraits inspect(byte[] sql, int offset, int length, boolean noBackslashEscapes,
                                          boolean ansiQuotes) {
        StatementInspector inspector = new StatementInspector(
                new SqlLexer(sql, offset, length, noBackslashEscapes, ansiQuotes));
        try {
            inspector.run();
        } catch (RuntimeException e) {
            // Correctness first: what the inspector could not read pins the session, and the bug is logged.
            log.error("could not inspect a statement ({} bytes); the session is pinned to be safe", length, e);
            return new StatementTraits(StatementTraits.UNREADABLE, List.of(), null, List.of(), List.of());
        }
        if (inspector.flags == 0 && inspector.calls.isEmpty() && inspector.kill == null
                && inspector.variables.isEmpty() && inspector.oneShot.isEmpty()) {
            return StatementTraits.NONE;
        }
        return new StatementTraits(inspector.flags, List.copyOf(inspector.calls), inspector.kill,
                List.copyOf(inspector.variables), List.copyOf(inspector.oneShot));
    }

    private void run() {
        startStatement();
        Token token = lexer.next();
        while (token != Token.END && !storedDefinition) {
            token = token == Token.WORD ? word() : other(token);
        }
    }

    private void startStatement() {
        firstWord = null;
        depth = 0;
        selectList = false;
        itemStart = false;
        assignmentTarget = false;
        afterInto = false;
        previousWord = null;
        sessionScope = true;
        setStatement = false;
    }

    /** Handles a non-word token; returns the next token. */
    private Token other(Token token) {
        if (token == Token.USER_VARIABLE) {
            return userVariable();
        }
        if (token == Token.SYSTEM_VARIABLE) {
            systemVariable();
        }
        boolean target = assignmentTarget;
        itemStart = false;
        assignmentTarget = false;
        afterInto = false;
        previousWord = null;
        switch (token) {
            case SEMICOLON:
                if (depth == 0) {
                    startStatement();
                    statementIndex++;
                }
                break;
            case LEFT_PAREN:
                depth++;
                break;
            case RIGHT_PAREN:
                depth = Math.max(0, depth - 1);
                break;
            case COMMA:
                if (depth == 0) {
                    itemStart = selectList;
                    assignmentTarget = "SET".equals(firstWord);
                }
                break;
            case DOT:
                // SET @@session.x is one token; SET SESSION x.y keeps looking at the name.
                assignmentTarget = target;
                break;
            default:
                break;
        }
        return lexer.next();
    }

    private Token userVariable() {
        boolean target = assignmentTarget || afterInto;
        boolean into = afterInto;
        Token next = lexer.next();
        if (target || next == Token.ASSIGN) {
            flags |= StatementTraits.USER_VARIABLE;
        }
        assignmentTarget = false;
        itemStart = false;
        previousWord = null;
        afterInto = false;
        if (into && next == Token.COMMA) {
            // SELECT ... INTO @a, @b: the list goes on after the comma.
            afterInto = true;
            return lexer.next();
        }
        return next;
    }

    private void systemVariable() {
        String name = lexer.upperText();
        noteTracking(name);
        if (assignmentTarget) {
            int dot = name.lastIndexOf('.');
            String scope = dot >= 0 ? name.substring(2, dot) : "SESSION";
            noteSetTarget(name.substring(dot >= 0 ? dot + 1 : 2), SESSION_SCOPES.contains(scope));
        }
    }

    private Token word() {
        String word = lexer.upperText();
        int wordStart = lexer.start();
        boolean wasItemStart = itemStart || (selectList && previousWord != null && isSelectIntroducer(previousWord));
        boolean wasTarget = assignmentTarget;
        noteTracking(word);
        if ("ATOMIC".equals(previousWord) && "BEGIN".equals(firstWord)) {
            firstWord = null; // BEGIN NOT ATOMIC: the block's first statement starts here
        }
        if (firstWord == null) {
            firstWord = word;
            firstWordSeen(word);
        } else {
            keyword(word, wasTarget);
        }
        previousWord = word;
        itemStart = false;
        afterInto = "INTO".equals(word);
        Token next = lexer.next();
        if (next == Token.LEFT_PAREN) {
            return call(word, wordStart, wasItemStart);
        }
        return next;
    }

    private static boolean isSelectIntroducer(String word) {
        return "SELECT".equals(word) || SELECT_MODIFIERS.contains(word);
    }

    private void firstWordSeen(String word) {
        switch (word) {
            case "SET":
                assignmentTarget = true;
                break;
            case "SELECT":
                selectList = true;
                break;
            case "PREPARE":
                flags |= StatementTraits.SQL_PREPARE;
                break;
            case "XA":
                flags |= StatementTraits.XA;
                break;
            case "KILL":
                kill = KillParser.parse(lexer);
                break;
            default:
                break;
        }
    }

    private void keyword(String word, boolean target) {
        if (depth == 0 && STORED_PROGRAMS.contains(word) && ("CREATE".equals(firstWord) || "ALTER".equals(firstWord))) {
            storedDefinition = true;
            return;
        }
        if (target && "STATEMENT".equals(word) && "SET".equals(previousWord)) {
            setStatement = true;
            assignmentTarget = true;
            return;
        }
        if (target && !SCOPES.contains(word)) {
            if (!SET_FORMS.contains(word)) {
                noteSetTarget(word, sessionScope);
            }
            assignmentTarget = false;
            return;
        }
        if (target) {
            sessionScope = SESSION_SCOPES.contains(word);
            assignmentTarget = true;
            return;
        }
        if (setStatement && depth == 0 && "FOR".equals(word)) {
            setStatement = false;
            firstWord = null; // the statement the settings are for starts here
            return;
        }
        if (depth == 0 && "SELECT".equals(word)) {
            selectList = true;
        } else if (depth == 0 && CLAUSES.contains(word)) {
            selectList = false;
        }
        switch (word) {
            case "TEMPORARY":
                if ("CREATE".equals(firstWord)) {
                    flags |= StatementTraits.TEMPORARY_TABLE;
                }
                break;
            case "OPEN":
                if ("HANDLER".equals(firstWord)) {
                    flags |= StatementTraits.HANDLER;
                }
                break;
            case "SQL_CALC_FOUND_ROWS":
                flags |= StatementTraits.CALC_FOUND_ROWS;
                break;
            case "FOR":
                if ("VALUE".equals(previousWord)) {
                    flags |= StatementTraits.SEQUENCE;
                }
                break;
            default:
                break;
        }
    }

    private void noteSetTarget(String name, boolean session) {
        if (setStatement) {
            oneShot.add(name.toLowerCase(java.util.Locale.ROOT));
            return;
        }
        if (UNREPLAYABLE.contains(name)) {
            flags |= StatementTraits.UNREPLAYABLE_VARIABLE;
        }
        if (session) {
            variables.add(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void noteTracking(String word) {
        if (word.contains("SESSION_TRACK")) {
            flags |= StatementTraits.SESSION_TRACKING;
        }
    }

    /** {@code name(} seen; handles the functions of interest and returns the token after the call. */
    private Token call(String name, int nameStart, boolean itemStartBefore) {
        Function function = null;
        switch (name) {
            case "GET_LOCK":
                flags |= StatementTraits.NAMED_LOCK;
                break;
            case "NEXTVAL":
            case "LASTVAL":
            case "SETVAL":
                flags |= StatementTraits.SEQUENCE;
                break;
            case "CONNECTION_ID":
                function = Function.CONNECTION_ID;
                break;
            case "FOUND_ROWS":
                function = Function.FOUND_ROWS;
                break;
            case "ROW_COUNT":
                function = Function.ROW_COUNT;
                break;
            default:
                break;
        }
        if (function == null) {
            depth++;
            previousWord = null;
            return lexer.next();
        }
        Token token = lexer.next();
        while (token != Token.RIGHT_PAREN && token != Token.END) {
            token = lexer.next();
        }
        int callEnd = lexer.end();
        Token after = lexer.next();
        boolean bare = itemStartBefore && depth == 0 && endsItem(after);
        calls.add(new FunctionCall(function, nameStart, callEnd, bare, statementIndex));
        previousWord = null;
        return after;
    }

    private boolean endsItem(Token after) {
        if (after == Token.COMMA || after == Token.SEMICOLON || after == Token.END) {
            return true;
        }
        return after == Token.WORD && CLAUSES.contains(lexer.upperText());
    }
}
