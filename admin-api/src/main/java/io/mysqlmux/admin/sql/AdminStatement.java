package io.mysqlmux.admin.sql;

import java.util.List;

/** An admin statement as the parser understood it. */
public sealed interface AdminStatement {

    record ShowPools() implements AdminStatement {
    }

    /** SHOW CLIENTS, or SHOW [FULL] PROCESSLIST (same rows, processlist-style columns). */
    record ShowClients(boolean processlist, boolean full) implements AdminStatement {
    }

    record ShowBackends() implements AdminStatement {
    }

    record ShowStats() implements AdminStatement {
    }

    /** @param like the LIKE pattern, or null for all */
    record ShowVariables(String like) implements AdminStatement {
    }

    record ShowUsers() implements AdminStatement {
    }

    /** Statements GUIs send that have an empty answer here (SHOW WARNINGS, SHOW DATABASES, ...). */
    record ShowEmpty(String what) implements AdminStatement {
    }

    /**
     * SET with one or more assignments. The executor decides whether it changes a proxy setting
     * (one assignment naming one) or is a driver's session SET, answered with OK and nothing done.
     */
    record Set(List<Assignment> assignments) implements AdminStatement {
    }

    /**
     * @param name      the target as written ({@code pool.max_size}, {@code NAMES}, {@code @@sql_mode})
     * @param scoped    it carried SESSION, LOCAL, GLOBAL or an {@code @@} prefix (a server variable)
     * @param value     the value when it is one word, number or string; null for an expression
     * @param position  where the name starts
     */
    record Assignment(String name, boolean scoped, String value, int position) {
    }

    /** KILL [CONNECTION] id */
    record Kill(long clientId) implements AdminStatement {
    }

    /** KILL IDLE seconds */
    record KillIdle(long seconds) implements AdminStatement {
    }

    record Pause() implements AdminStatement {
    }

    record Resume() implements AdminStatement {
    }

    record Reload() implements AdminStatement {
    }

    record Shutdown(boolean graceful) implements AdminStatement {
    }

    record Help() implements AdminStatement {
    }

    /** USE schema: accepted and ignored (GUIs send it). */
    record Use(String schema) implements AdminStatement {
    }

    /** A driver's SELECT of variables, functions and literals, answered with one row. */
    record Select(List<SelectItem> items) implements AdminStatement {
    }

    /**
     * @param kind  what the item is
     * @param value the variable name ({@code @@session.x} as written), the function name, or the literal
     * @param label the column name: the alias, or the item as written
     */
    record SelectItem(ItemKind kind, String value, String label) {
    }

    enum ItemKind { VARIABLE, FUNCTION, NUMBER, STRING, NULL }
}
