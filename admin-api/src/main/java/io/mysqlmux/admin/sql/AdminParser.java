package io.mysqlmux.admin.sql;

import io.mysqlmux.admin.sql.AdminStatement.Assignment;
import io.mysqlmux.admin.sql.AdminStatement.ItemKind;
import io.mysqlmux.admin.sql.AdminStatement.SelectItem;
import io.mysqlmux.admin.sql.AdminToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin statement language, parsed by recursive descent over {@link AdminLexer} tokens.
 * Keywords are case-insensitive; a trailing {@code ;} is allowed; anything else is an
 * {@link AdminSyntaxException} naming the position.
 *
 * <pre>
 * statement  := command [';']
 * command    := SHOW POOLS | SHOW CLIENTS | SHOW [FULL] PROCESSLIST | SHOW BACKENDS | SHOW STATS
 *             | SHOW [GLOBAL|SESSION] VARIABLES [LIKE 'pattern'] | SHOW USERS
 *             | SET assignment {',' assignment}
 *             | KILL [CONNECTION] id | KILL IDLE seconds
 *             | PAUSE | RESUME | RELOAD | SHUTDOWN [GRACEFUL] | HELP
 *             | SELECT item {',' item} [LIMIT n]        -- what drivers and the mysql client send
 *             | USE name | SHOW WARNINGS | SHOW DATABASES | ...
 * assignment := [GLOBAL|SESSION|LOCAL] name {'.' name} ('=' | ':=' | TO) value
 *             | NAMES value [COLLATE value] | CHARACTER SET value
 * value      := word | number[unit] | 'string' | expression   -- expressions only in driver SETs
 * item       := (@@variable | function '(' ')' | number | 'string' | NULL) [[AS] alias]
 * </pre>
 */
public final class AdminParser {
    private final List<AdminToken> tokens;
    private int index;

    private AdminParser(List<AdminToken> tokens) {
        this.tokens = tokens;
    }

    public static AdminStatement parse(String sql) {
        AdminParser parser = new AdminParser(AdminLexer.tokens(sql));
        AdminStatement statement = parser.command();
        if (parser.peek().isSymbol(';')) {
            parser.index++;
        }
        parser.expectEnd();
        return statement;
    }

    private AdminStatement command() {
        AdminToken first = next();
        if (first.is("SHOW")) {
            return show();
        }
        if (first.is("SET")) {
            return set();
        }
        if (first.is("KILL")) {
            return kill();
        }
        if (first.is("PAUSE")) {
            return new AdminStatement.Pause();
        }
        if (first.is("RESUME")) {
            return new AdminStatement.Resume();
        }
        if (first.is("RELOAD")) {
            return new AdminStatement.Reload();
        }
        if (first.is("SHUTDOWN")) {
            return new AdminStatement.Shutdown(accept("GRACEFUL"));
        }
        if (first.is("HELP")) {
            return new AdminStatement.Help();
        }
        if (first.is("SELECT")) {
            return select();
        }
        if (first.is("USE")) {
            return new AdminStatement.Use(word("a schema name").text());
        }
        throw error(first, "SHOW, SET, KILL, PAUSE, RESUME, RELOAD, SHUTDOWN or HELP");
    }

    private AdminStatement show() {
        AdminToken what = next();
        if (what.is("POOLS")) {
            return new AdminStatement.ShowPools();
        }
        if (what.is("CLIENTS")) {
            return new AdminStatement.ShowClients(false, false);
        }
        if (what.is("PROCESSLIST")) {
            return new AdminStatement.ShowClients(true, false);
        }
        if (what.is("FULL") && accept("PROCESSLIST")) {
            return new AdminStatement.ShowClients(true, true);
        }
        if (what.is("BACKENDS")) {
            return new AdminStatement.ShowBackends();
        }
        if (what.is("STATS") || what.is("STATUS")) {
            return new AdminStatement.ShowStats();
        }
        if (what.is("GLOBAL") || what.is("SESSION")) {
            what = next();
        }
        if (what.is("VARIABLES")) {
            if (accept("LIKE")) {
                AdminToken pattern = next();
                if (pattern.kind() != Kind.STRING) {
                    throw error(pattern, "a quoted pattern such as 'pool.%'");
                }
                return new AdminStatement.ShowVariables(pattern.text());
            }
            return new AdminStatement.ShowVariables(null);
        }
        if (what.is("USERS")) {
            return new AdminStatement.ShowUsers();
        }
        if (what.is("WARNINGS") || what.is("ERRORS") || what.is("DATABASES") || what.is("SCHEMAS")
                || what.is("TABLES") || what.is("ENGINES") || what.is("COLLATION") || what.is("CHARSET")) {
            skipToEnd();
            return new AdminStatement.ShowEmpty(what.text().toUpperCase(java.util.Locale.ROOT));
        }
        throw error(what, "POOLS, CLIENTS, PROCESSLIST, BACKENDS, STATS, VARIABLES or USERS");
    }

    private AdminStatement set() {
        List<Assignment> assignments = new ArrayList<>();
        do {
            assignments.add(assignment());
        } while (acceptSymbol(','));
        return new AdminStatement.Set(assignments);
    }

    private Assignment assignment() {
        AdminToken start = peek();
        boolean scoped = accept("GLOBAL") || accept("SESSION") || accept("LOCAL") || accept("PERSIST");
        AdminToken first = peek();
        if (first.is("NAMES")) {
            index++;
            String value = simpleValue();
            if (accept("COLLATE")) {
                simpleValue();
            }
            return new Assignment("NAMES", true, value, first.position());
        }
        if (first.is("CHARACTER") && tokens.get(index + 1).is("SET")) {
            index += 2;
            return new Assignment("CHARACTER SET", true, simpleValue(), first.position());
        }
        String name;
        if (first.kind() == Kind.VARIABLE) {
            index++;
            name = first.text();
            scoped = true;
        } else {
            name = dottedName();
        }
        if (!acceptSymbol('=') && !accept("TO") && !(acceptSymbol(':') && acceptSymbol('='))) {
            throw error(peek(), "= after " + name);
        }
        return new Assignment(name, scoped, value(), start.position());
    }

    /** A one-token value (a number may have a sign), or null after skipping an expression up to the next top-level comma. */
    private String value() {
        AdminToken token = peek();
        AdminToken after = tokens.get(Math.min(index + 1, tokens.size() - 1));
        if ((token.isSymbol('-') || token.isSymbol('+')) && after.kind() == Kind.NUMBER) {
            AdminToken end = tokens.get(Math.min(index + 2, tokens.size() - 1));
            if (end.isSymbol(',') || end.isSymbol(';') || end.kind() == Kind.END) {
                index += 2;
                return token.text() + after.text();
            }
        }
        boolean single = token.kind() == Kind.WORD || token.kind() == Kind.NUMBER || token.kind() == Kind.STRING;
        if (single && (after.isSymbol(',') || after.isSymbol(';') || after.kind() == Kind.END)) {
            index++;
            return token.text();
        }
        if (token.kind() == Kind.END) {
            throw error(token, "a value");
        }
        int depth = 0;
        while (peek().kind() != Kind.END && !(depth == 0 && (peek().isSymbol(',') || peek().isSymbol(';')))) {
            AdminToken t = next();
            depth += t.isSymbol('(') ? 1 : t.isSymbol(')') ? -1 : 0;
        }
        return null;
    }

    private String simpleValue() {
        AdminToken token = next();
        if (token.kind() == Kind.WORD || token.kind() == Kind.STRING || token.kind() == Kind.NUMBER) {
            return token.text();
        }
        throw error(token, "a character set name");
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(word("a setting name such as pool.max_size").text());
        while (acceptSymbol('.')) {
            name.append('.').append(word("a name after the dot").text());
        }
        return name.toString();
    }

    private AdminStatement kill() {
        if (accept("IDLE")) {
            return new AdminStatement.KillIdle(number("the idle time in seconds"));
        }
        if (accept("QUERY")) {
            throw error(tokens.get(index - 1), "KILL <client id> or KILL IDLE <seconds> (the admin port ends"
                    + " whole client connections)");
        }
        accept("CONNECTION");
        return new AdminStatement.Kill(number("a client id (SHOW CLIENTS lists them)"));
    }

    private AdminStatement select() {
        List<SelectItem> items = new ArrayList<>();
        do {
            items.add(selectItem());
        } while (acceptSymbol(','));
        if (accept("LIMIT")) {
            number("a row count");
        }
        return new AdminStatement.Select(items);
    }

    private SelectItem selectItem() {
        AdminToken token = next();
        SelectItem item;
        switch (token.kind()) {
            case VARIABLE -> item = new SelectItem(ItemKind.VARIABLE, token.text(), token.text());
            case NUMBER -> item = new SelectItem(ItemKind.NUMBER, token.text(), token.text());
            case STRING -> item = new SelectItem(ItemKind.STRING, token.text(), token.text());
            case WORD -> {
                if (token.is("NULL")) {
                    item = new SelectItem(ItemKind.NULL, null, "NULL");
                } else if (acceptSymbol('(')) {
                    expectSymbol(')', "() after " + token.text() + ": functions take no arguments here");
                    item = new SelectItem(ItemKind.FUNCTION, token.text(), token.text() + "()");
                } else {
                    throw error(token, "@@variable, function(), number or 'string'");
                }
            }
            default -> throw error(token, "@@variable, function(), number or 'string'");
        }
        if (accept("AS") || peek().kind() == Kind.WORD && !peek().is("LIMIT")) {
            AdminToken alias = next();
            if (alias.kind() != Kind.WORD && alias.kind() != Kind.STRING) {
                throw error(alias, "an alias");
            }
            return new SelectItem(item.kind(), item.value(), alias.text());
        }
        return item;
    }

    // ---- token helpers ----

    private AdminToken peek() {
        return tokens.get(index);
    }

    private AdminToken next() {
        AdminToken token = tokens.get(index);
        if (token.kind() != Kind.END) {
            index++;
        }
        return token;
    }

    private boolean accept(String keyword) {
        if (peek().is(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(char c) {
        if (peek().isSymbol(c)) {
            index++;
            return true;
        }
        return false;
    }

    private void expectSymbol(char c, String expected) {
        if (!acceptSymbol(c)) {
            throw error(peek(), expected);
        }
    }

    private AdminToken word(String expected) {
        AdminToken token = next();
        if (token.kind() != Kind.WORD) {
            throw error(token, expected);
        }
        return token;
    }

    private long number(String expected) {
        AdminToken token = next();
        if (token.kind() != Kind.NUMBER) {
            throw error(token, expected);
        }
        try {
            return Long.parseLong(token.text());
        } catch (NumberFormatException e) {
            throw error(token, expected);
        }
    }

    private void skipToEnd() {
        while (peek().kind() != Kind.END && !peek().isSymbol(';')) {
            index++;
        }
    }

    private void expectEnd() {
        if (peek().kind() != Kind.END) {
            throw error(peek(), "the end of the statement (one statement at a time)");
        }
    }

    private static AdminSyntaxException error(AdminToken token, String expected) {
        return new AdminSyntaxException(token.shown(), token.position(), expected);
    }
}
