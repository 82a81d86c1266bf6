package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComInitDb;
import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.proxy.backend.SessionState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The fewest commands that bring a server connection's session to the state a client session
 * wants: COM_SET_OPTION for multi-statements, COM_INIT_DB for the schema, and one
 * {@code SET SESSION a = ..., b = DEFAULT} for every variable that differs. Variable names come
 * from the server's own session tracker, values are replayed as literals in the server's escaping
 * mode, and character sets come before collations (setting a character set resets the collation).
 */
public final class StateSync {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Variables that reject DEFAULT, with the value a fresh session has. */
    private static final Map<String, String> NO_DEFAULT = Map.of(TrackedState.LAST_INSERT_ID, "0");

    /** One command, what it is for (for logs), and what it changes on the server connection once it succeeded. */
    public record Step(PacketPayload command, String description, Consumer<SessionState> effect) {

        /** Records the step's effect on the server connection's state. */
        public void apply(SessionState server) {
            effect.accept(server);
        }
    }

    private StateSync() {
    }

    /**
     * @param noBackslashEscapes whether the server connection's sql_mode has NO_BACKSLASH_ESCAPES
     *                           (it decides how a quote inside a value is escaped)
     */
    public static List<Step> steps(SessionState have, SessionState want, boolean noBackslashEscapes) {
        if (have.hashCode() == want.hashCode() && have.equals(want)) {
            return List.of(); // the usual case: the pool handed over a connection already in this state
        }
        List<Step> steps = new ArrayList<>(3);
        if (have.multiStatements() != want.multiStatements()) {
            boolean on = want.multiStatements();
            steps.add(new Step(new ComSetOption(on)::write, "multi-statements " + (on ? "on" : "off"),
                    server -> server.multiStatements(on)));
        }
        if (want.schema() != null && !want.schema().equals(have.schema())) {
            String schema = want.schema();
            steps.add(new Step(new ComInitDb(schema)::write, "schema " + schema, server -> server.schema(schema)));
        }
        String assignments = assignments(have, want, noBackslashEscapes);
        if (!assignments.isEmpty()) {
            String sql = "SET SESSION " + assignments;
            Map<String, String> variables = Map.copyOf(want.variables());
            steps.add(new Step(new ComQuery(sql)::write, sql, server -> server.replaceVariables(variables)));
        }
        return steps;
    }

    private static String assignments(SessionState have, SessionState want, boolean noBackslashEscapes) {
        Map<String, String> wanted = want.variables();
        Map<String, String> current = have.variables();
        TreeSet<String> names = new TreeSet<>(current.keySet());
        names.addAll(wanted.keySet());
        StringBuilder sql = new StringBuilder();
        for (String name : names) {
            String value = wanted.get(name);
            if (Objects.equals(value, current.get(name))) {
                continue;
            }
            if (sql.length() > 0) {
                sql.append(", ");
            }
            sql.append(name).append(" = ").append(value == null ? NO_DEFAULT.getOrDefault(name, "DEFAULT")
                    : literal(name, value, noBackslashEscapes));
        }
        return sql.toString();
    }

    /**
     * True when the client session has no default schema but the server connection has one: no
     * command leaves a schema, so the connection must be reset by logging in again ({@code
     * BackendSchemaReset}) before the other steps.
     */
    public static boolean needsSchemaCleared(SessionState have, SessionState want) {
        return want.schema() == null && have.schema() != null;
    }

    /**
     * Numbers stay bare (numeric variables reject strings); an empty character set is how the
     * tracker reports NULL ({@code SET character_set_results = NULL}); the rest are quoted strings.
     */
    static String literal(String name, String value, boolean noBackslashEscapes) {
        if (value.isEmpty() && name.startsWith("character_set_")) {
            return "NULL";
        }
        if (NUMBER.matcher(value).matches()) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'') {
                quoted.append("''");
            } else if (c == '\\' && !noBackslashEscapes) {
                quoted.append("\\\\");
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }
}
