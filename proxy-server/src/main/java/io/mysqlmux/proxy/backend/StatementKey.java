package io.mysqlmux.proxy.backend;

import java.nio.charset.StandardCharsets;

/**
 * What identifies a prepared statement across server connections: its text (bytes as the client
 * sent them, kept as ISO-8859-1 so any byte maps to one char) and the schema it was prepared in,
 * since table names are resolved at prepare time.
 */
public record StatementKey(String schema, String sql) {

    public static StatementKey of(String schema, byte[] sql) {
        return new StatementKey(schema, new String(sql, StandardCharsets.ISO_8859_1));
    }

    /** The statement text as bytes, as the client sent it. */
    public byte[] sqlBytes() {
        return sql.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        String text = sql.length() > 60 ? sql.substring(0, 60) + "..." : sql;
        return (schema == null ? "" : schema + ": ") + text;
    }
}
