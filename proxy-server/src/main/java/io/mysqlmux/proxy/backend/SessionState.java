package io.mysqlmux.proxy.backend;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The movable part of a MySQL session: default schema, session system variables that differ from
 * the server's global values, and whether multi-statements are on. A client session holds the state
 * it wants; a server connection holds the state it has; {@link StateSync} turns the difference into
 * commands. Variables absent from the map are at their global default.
 */
public final class SessionState {
    private String schema;
    private final TreeMap<String, String> variables;
    private boolean multiStatements;
    /** Cached: pools compare states on every lease and return; 0 = not computed since the last change. */
    private int hash;

    public SessionState(String schema, Map<String, String> variables, boolean multiStatements) {
        this.schema = schema;
        this.variables = new TreeMap<>();
        variables.forEach((name, value) -> this.variables.put(normalize(name), value));
        this.multiStatements = multiStatements;
    }

    public SessionState copy() {
        return new SessionState(schema, variables, multiStatements);
    }

    /** Takes over everything {@code other} holds (the server connection now has the client's state). */
    public void set(SessionState other) {
        hash = 0;
        schema = other.schema;
        variables.clear();
        variables.putAll(other.variables);
        multiStatements = other.multiStatements;
    }

    public String schema() {
        return schema;
    }

    public void schema(String schema) {
        hash = 0;
        this.schema = schema;
    }

    /** Session variables known to differ from the global values, sorted by name. */
    public SortedMap<String, String> variables() {
        return Collections.unmodifiableSortedMap(variables);
    }

    /** Sets a variable's value; null means back at its global value (no longer differing). */
    public void variable(String name, String value) {
        hash = 0;
        if (value == null) {
            variables.remove(normalize(name));
        } else {
            variables.put(normalize(name), value);
        }
    }

    /** Takes {@code wanted} as the complete set of variables that differ from the global values. */
    public void replaceVariables(Map<String, String> wanted) {
        hash = 0;
        variables.clear();
        wanted.forEach((name, value) -> variables.put(normalize(name), value));
    }

    /** Forgets every variable (after COM_RESET_CONNECTION, all are back at their global values). */
    public void resetVariables() {
        hash = 0;
        variables.clear();
    }

    public boolean multiStatements() {
        return multiStatements;
    }

    public void multiStatements(boolean on) {
        hash = 0;
        multiStatements = on;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionState)) {
            return false;
        }
        SessionState other = (SessionState) o;
        return Objects.equals(schema, other.schema) && variables.equals(other.variables)
                && multiStatements == other.multiStatements;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Objects.hash(schema, variables, multiStatements);
            hash = h == 0 ? 1 : h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "schema=" + schema + " variables=" + variables + " multiStatements=" + multiStatements;
    }
}
