package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;

import java.nio.charset.StandardCharsets;

/**
 * A statement as logs and admin views may show it: literals replaced by {@code ?} (values such as
 * passwords or personal data never reach a log line), comments dropped, whitespace collapsed, cut
 * to a readable length. {@code UPDATE t SET a = 'x' WHERE id = 7} becomes
 * {@code UPDATE t SET a = ? WHERE id = ?}.
 */
public final class StatementDigest {
    /** Longest digest shown. */
    public static final int MAX_LENGTH = 160;

    private StatementDigest() {
    }

    /** The digest of {@code statement}, or null for null. */
    public static String of(String statement) {
        if (statement == null) {
            return null;
        }
        byte[] sql = statement.getBytes(StandardCharsets.UTF_8);
        SqlLexer lexer = new SqlLexer(sql, 0, sql.length, false, false);
        StringBuilder digest = new StringBuilder(Math.min(sql.length, MAX_LENGTH + 3));
        boolean spaceWanted = false;
        for (Token token = lexer.next(); token != Token.END; token = lexer.next()) {
            boolean literal = token == Token.STRING || token == Token.NUMBER;
            boolean glued = token == Token.COMMA || token == Token.RIGHT_PAREN || token == Token.DOT
                    || token == Token.SEMICOLON;
            if (spaceWanted && !glued && digest.length() > 0) {
                digest.append(' ');
            }
            digest.append(literal ? "?" : new String(sql, lexer.start(), lexer.end() - lexer.start(),
                    StandardCharsets.UTF_8));
            spaceWanted = token != Token.LEFT_PAREN && token != Token.DOT;
            if (digest.length() > MAX_LENGTH) {
                digest.setLength(MAX_LENGTH);
                return digest.append("...").toString();
            }
        }
        return digest.toString();
    }
}
