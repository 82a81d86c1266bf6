package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;
import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds, with {@link SqlLexer}, what session tracking does not report: user variables assigned in
 * ways the tracker misses ({@code SELECT ... INTO @x}, {@code @x := ...}, beside a system variable
 * in one SET), named locks, HANDLER, sequences, SET of variables that cannot be replayed,
 * SQL_CALC_FOUND_ROWS, the calls whose value belongs to the client session, KILL, and mentions of
 * the proxy's tracking settings. Looks at every statement of a multi-statement text.
 */
public final class StatementInspector {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StatementInspector.class);
    private final SqlLexer lexer;
    private int flags;
    private final List<FunctionCall> calls = new ArrayList<>(0);
    private final List<String> variables = new ArrayList<>(0);
    private final List<String> oneShot = new ArrayList<>(0);
    private StatementTraits.KillStatement kill;
    private StatementTraits.Diagnostics diagnostics;
    private long limitOffset;
    /** SHOW COUNT(*) seen: WARNINGS or ERRORS follows. */
    private boolean showCount;

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
            return new StatementTraits(StatementTraits.UNREADABLE, List.of(), null, List.of(), List.of(), null, 0);
        }
        if (inspector.calls.isEmpty() && inspector.kill == null && inspector.variables.isEmpty()
                && inspector.oneShot.isEmpty() && inspector.diagnostics == null && inspector.limitOffset == 0) {
            if (inspector.flags == 0) {
                return StatementTraits.NONE;
            }
            if (inspector.flags == StatementTraits.USES_TABLES) {
                return StatementTraits.TABLES_ONLY;
            }
        }
        return new StatementTraits(inspector.flags, List.copyOf(inspector.calls), inspector.kill,
                List.copyOf(inspector.variables), List.copyOf(inspector.oneShot), inspector.diagnostics,
                inspector.limitOffset);
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
            Token after = systemVariable();
            if (after != null) {
                return after;
            }
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

    /**
     * A system variable; returns the token after it when it consumed one (a read of the session's
     * warning or error count, whose value the proxy may have to supply), else null.
     */
    private Token systemVariable() {
        String name = lexer.upperText();
        noteTracking(name);
        int dot = name.lastIndexOf('.');
        String scope = dot >= 0 ? name.substring(2, dot) : "SESSION";
        String variable = name.substring(dot >= 0 ? dot + 1 : 2);
        if (assignmentTarget) {
            noteSetTarget(variable, SqlWords.SESSION_SCOPES.contains(scope));
            return null;
        }
        Function function = "WARNING_COUNT".equals(variable) ? Function.WARNING_COUNT
                : "ERROR_COUNT".equals(variable) ? Function.ERROR_COUNT : null;
        if (function == null || !SqlWords.SESSION_SCOPES.contains(scope) || storedDefinition) {
            return null;
        }
        boolean wasItemStart = itemStart || (selectList && previousWord != null && isSelectIntroducer(previousWord));
        int start = lexer.start();
        int end = lexer.end();
        Token after = lexer.next();
        calls.add(new FunctionCall(function, start, end, wasItemStart && depth == 0 && endsItem(after), statementIndex));
        itemStart = false;
        afterInto = false;
        previousWord = null;
        return after;
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
        if ("LIMIT".equals(word) && depth == 0 && statementIndex == 0
                && (diagnostics != null || "SELECT".equals(firstWord))) {
            return limit();
        }
        Token next = lexer.next();
        if (next == Token.LEFT_PAREN) {
            return call(word, wordStart, wasItemStart);
        }
        return next;
    }

    private static boolean isSelectIntroducer(String word) {
        return "SELECT".equals(word) || SqlWords.SELECT_MODIFIERS.contains(word);
    }

    private void firstWordSeen(String word) {
        flags |= SqlWords.flagsOfFirst(word);
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
        if (depth == 0 && SqlWords.STORED_PROGRAMS.contains(word) && ("CREATE".equals(firstWord) || "ALTER".equals(firstWord))) {
            storedDefinition = true;
            return;
        }
        if (target && "STATEMENT".equals(word) && "SET".equals(previousWord)) {
            setStatement = true;
            assignmentTarget = true;
            return;
        }
        if (target && !SqlWords.SCOPES.contains(word)) {
            if ("PASSWORD".equals(word)) {
                flags |= StatementTraits.PRIVILEGES;
            } else if ("ROLE".equals(word) && "SET".equals(previousWord)) {
                flags |= StatementTraits.ROLE;
            } else if (!SqlWords.SET_FORMS.contains(word)) {
                noteSetTarget(word, sessionScope);
            }
            assignmentTarget = false;
            return;
        }
        if (target) {
            sessionScope = SqlWords.SESSION_SCOPES.contains(word);
            assignmentTarget = true;
            return;
        }
        if ("SHOW".equals(firstWord) && depth == 0 && ("WARNINGS".equals(word) || "ERRORS".equals(word))
                && ("SHOW".equals(previousWord) || showCount)) {
            diagnostics = new StatementTraits.Diagnostics("ERRORS".equals(word), showCount, 0, -1);
            return;
        }
        if (setStatement && depth == 0 && "FOR".equals(word)) {
            setStatement = false;
            firstWord = null; // the statement the settings are for starts here
            return;
        }
        flags |= SqlWords.flagsOf(firstWord, previousWord, word);
        if ("SELECT".equals(word) && ("INSERT".equals(firstWord) || "REPLACE".equals(firstWord))) {
            flags |= StatementTraits.INSERT_SELECT;
        }
        if (depth == 0 && "SELECT".equals(word)) {
            selectList = true;
        } else if (depth == 0 && SqlWords.CLAUSES.contains(word)) {
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
        if (SqlWords.UNREPLAYABLE.contains(name)) {
            flags |= StatementTraits.UNREPLAYABLE_VARIABLE;
        }
        if (session) {
            variables.add(name.toLowerCase(java.util.Locale.ROOT));
        } else {
            flags |= StatementTraits.GLOBAL_SET;
        }
    }

    private void noteTracking(String word) {
        if (word.contains("SESSION_TRACK")) {
            flags |= StatementTraits.SESSION_TRACKING;
        }
    }

    /** A LIMIT clause of a diagnostic statement or a top-level SELECT; returns the token after it. */
    private Token limit() {
        LimitClause clause = LimitClause.read(lexer);
        if (clause.found() && diagnostics != null) {
            diagnostics = new StatementTraits.Diagnostics(diagnostics.errorsOnly(), diagnostics.count(),
                    clause.offset(), clause.rows());
        } else if (clause.found()) {
            limitOffset = clause.offset();
        }
        return clause.next();
    }

    /** {@code name(} seen; handles the functions of interest and returns the token after the call. */
    private Token call(String name, int nameStart, boolean itemStartBefore) {
        flags |= SqlWords.flagsOfCall(name);
        showCount |= "COUNT".equals(name) && "SHOW".equals(firstWord);
        Function function = SqlWords.SESSION_FUNCTIONS.get(name);
        if (function == null) {
            depth++;
            previousWord = null;
            return lexer.next();
        }
        Token token = lexer.next();
        int nested = 0;
        while (token != Token.END && (token != Token.RIGHT_PAREN || nested-- > 0)) {
            nested += token == Token.LEFT_PAREN ? 1 : 0;
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
        return after == Token.WORD && SqlWords.CLAUSES.contains(lexer.upperText());
    }
}
