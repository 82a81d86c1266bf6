package io.mysqlmux.proxy.sql;

import java.util.Map;
import java.util.Set;

/** The words {@link StatementInspector} looks for, by what they tell it. */
final class SqlWords {
    static final Set<String> UNREPLAYABLE = Set.of("TIMESTAMP", "INSERT_ID", "IDENTITY", "RAND_SEED1",
            "RAND_SEED2", "GTID_NEXT", "GTID_SEQ_NO", "GTID_DOMAIN_ID", "SERVER_ID", "SQL_LOG_BIN",
            "PSEUDO_THREAD_ID", "PSEUDO_SLAVE_MODE", "SKIP_REPLICATION");
    static final Set<String> SCOPES = Set.of("SESSION", "LOCAL", "GLOBAL", "PERSIST", "PERSIST_ONLY");
    /** Scopes of a SET that change the session's own value. */
    static final Set<String> SESSION_SCOPES = Set.of("SESSION", "LOCAL");
    /** Words after SET that are a statement of their own, not a variable. */
    static final Set<String> SET_FORMS = Set.of("NAMES", "CHARACTER", "CHARSET", "PASSWORD", "ROLE", "DEFAULT",
            "TRANSACTION");
    /** Words that end a select-list item (so a call just before them is the whole item). */
    static final Set<String> CLAUSES = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
            "UNION", "FOR", "LOCK", "WINDOW", "INTERSECT", "EXCEPT", "PROCEDURE");
    /** First words of statements that work on tables. */
    static final Set<String> TABLE_STATEMENTS = Set.of("INSERT", "REPLACE", "UPDATE", "DELETE", "TRUNCATE",
            "DESCRIBE", "DESC", "EXPLAIN", "HANDLER", "LOAD", "ANALYZE", "OPTIMIZE", "CHECK", "REPAIR", "CHECKSUM");
    /** Words that name tables wherever they stand. */
    static final Set<String> TABLE_WORDS = Set.of("FROM", "JOIN", "TABLE", "TABLES", "UPDATE");
    /** What a CREATE or ALTER defines when its body is stored to run later, not run now. */
    static final Set<String> STORED_PROGRAMS = Set.of("PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "VIEW",
            "PACKAGE");
    static final Set<String> SELECT_MODIFIERS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY",
            "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_NO_CACHE", "SQL_CACHE",
            "SQL_CALC_FOUND_ROWS");

    /** Functions whose answer is the client session's, not the server connection's. */
    static final Map<String, StatementTraits.Function> SESSION_FUNCTIONS = Map.of(
            "CONNECTION_ID", StatementTraits.Function.CONNECTION_ID, "IS_USED_LOCK", StatementTraits.Function.IS_USED_LOCK,
            "FOUND_ROWS", StatementTraits.Function.FOUND_ROWS, "ROW_COUNT", StatementTraits.Function.ROW_COUNT);

    private SqlWords() {
    }

    /** What a call of {@code name(...)} tells: a named lock taken, a sequence used. */
    static int flagsOfCall(String name) {
        return switch (name) {
            case "GET_LOCK" -> StatementTraits.NAMED_LOCK;
            case "NEXTVAL", "LASTVAL", "SETVAL" -> StatementTraits.SEQUENCE;
            default -> 0;
        };
    }

    /** What the first word of a statement tells ({@link StatementTraits} flags). */
    static int flagsOfFirst(String word) {
        int flags = TABLE_STATEMENTS.contains(word) ? StatementTraits.USES_TABLES : 0;
        return "GRANT".equals(word) || "REVOKE".equals(word) ? flags | StatementTraits.PRIVILEGES : flags;
    }

    /**
     * What a later word tells: tables named, an account or privilege change (CREATE/DROP/RENAME/ALTER
     * USER or ROLE, SET DEFAULT ROLE, FLUSH PRIVILEGES), a read of the session's status counters.
     */
    static int flagsOf(String firstWord, String previousWord, String word) {
        int flags = TABLE_WORDS.contains(word) ? StatementTraits.USES_TABLES : 0;
        boolean account = "USER".equals(word) || "ROLE".equals(word);
        if (account && ("CREATE".equals(firstWord) || "DROP".equals(firstWord) || "RENAME".equals(firstWord)
                || "ALTER".equals(firstWord) || ("SET".equals(firstWord) && "DEFAULT".equals(previousWord)))
                || "PRIVILEGES".equals(word) && "FLUSH".equals(firstWord)) {
            flags |= StatementTraits.PRIVILEGES;
        }
        if ("STATUS".equals(word) && "SHOW".equals(firstWord) && !"GLOBAL".equals(previousWord)
                || "SESSION_STATUS".equals(word)) {
            flags |= StatementTraits.SESSION_STATUS;
        }
        return flags;
    }
}
