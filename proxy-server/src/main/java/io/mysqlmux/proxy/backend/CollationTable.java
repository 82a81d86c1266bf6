package io.mysqlmux.proxy.backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collation ids (as a handshake carries them) with their character set and name, read from the
 * server's {@code information_schema.COLLATIONS}, so that a client's handshake collation can be
 * expressed as the session variables it sets.
 */
public final class CollationTable {
    public static final String CHARACTER_SET_CLIENT = "character_set_client";
    public static final String CHARACTER_SET_CONNECTION = "character_set_connection";
    public static final String CHARACTER_SET_RESULTS = "character_set_results";
    public static final String COLLATION_CONNECTION = "collation_connection";

    /** The query whose rows {@link #fromRows} reads. */
    public static final String QUERY =
            "SELECT ID, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID < 256";

    private record Collation(String charset, String name) {
    }

    private final Map<Integer, Collation> byId;

    private CollationTable(Map<Integer, Collation> byId) {
        this.byId = byId;
    }

    public static CollationTable fromRows(List<String[]> rows) {
        Map<Integer, Collation> byId = new HashMap<>();
        for (String[] row : rows) {
            if (row.length >= 3 && row[0] != null && row[1] != null && row[2] != null) {
                byId.put(Integer.parseInt(row[0]), new Collation(row[1], row[2]));
            }
        }
        return new CollationTable(Map.copyOf(byId));
    }

    /**
     * The session variables a handshake with {@code collationId} sets, or {@code fallbackId}'s when
     * the server does not know the id (the server itself falls back to its default then).
     */
    public Map<String, String> handshakeVariables(int collationId, int fallbackId) {
        Collation collation = byId.getOrDefault(collationId, byId.get(fallbackId));
        if (collation == null) {
            return Map.of();
        }
        return Map.of(CHARACTER_SET_CLIENT, collation.charset(), CHARACTER_SET_CONNECTION, collation.charset(),
                CHARACTER_SET_RESULTS, collation.charset(), COLLATION_CONNECTION, collation.name());
    }

    /**
     * The character set a client may not use for its connection (ucs2, utf16, utf16le, utf32: the
     * server refuses them as character_set_client), or null when {@code collationId} is allowed.
     */
    public String refusedClientCharset(int collationId) {
        Collation collation = byId.get(collationId);
        if (collation == null) {
            return null;
        }
        return switch (collation.charset()) {
            case "ucs2", "utf16", "utf16le", "utf32" -> collation.charset();
            default -> null;
        };
    }

    public int size() {
        return byId.size();
    }
}
