package io.mysqlmux.admin.sql;

import io.mysqlmux.admin.sql.AdminToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an admin statement into tokens: words (and backtick-quoted names), quoted strings with
 * backslash escapes and doubled quotes, numbers with an optional unit, {@code @@variables}, and
 * single punctuation characters. Comments ({@code -- }, {@code #}, {@code /* *\/}) and whitespace
 * are skipped. An unterminated string or comment is a syntax error at its start.
 */
public final class AdminLexer {
    private final String sql;
    private int position;

    private AdminLexer(String sql) {
        this.sql = sql;
    }

    /** Every token of {@code sql}, ending with an END token. */
    public static List<AdminToken> tokens(String sql) {
        AdminLexer lexer = new AdminLexer(sql);
        List<AdminToken> tokens = new ArrayList<>();
        AdminToken token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private AdminToken next() {
        skipSpaceAndComments();
        int start = position;
        if (position >= sql.length()) {
            return new AdminToken(Kind.END, "", start + 1);
        }
        char c = sql.charAt(position);
        if (c == '\'' || c == '"') {
            return new AdminToken(Kind.STRING, quoted(c), start + 1);
        }
        if (c == '`') {
            return new AdminToken(Kind.WORD, quoted('`'), start + 1);
        }
        if (c == '@') {
            position++;
            if (position < sql.length() && sql.charAt(position) == '@') {
                position++;
            }
            while (position < sql.length() && (isWordChar(sql.charAt(position)) || sql.charAt(position) == '.')) {
                position++;
            }
            return new AdminToken(Kind.VARIABLE, sql.substring(start, position), start + 1);
        }
        if (Character.isDigit(c)) {
            while (position < sql.length() && (Character.isDigit(sql.charAt(position)) || sql.charAt(position) == '.')) {
                position++;
            }
            while (position < sql.length() && Character.isLetter(sql.charAt(position))) {
                position++;
            }
            return new AdminToken(Kind.NUMBER, sql.substring(start, position), start + 1);
        }
        if (isWordChar(c)) {
            while (position < sql.length() && isWordChar(sql.charAt(position))) {
                position++;
            }
            return new AdminToken(Kind.WORD, sql.substring(start, position), start + 1);
        }
        position++;
        return new AdminToken(Kind.SYMBOL, String.valueOf(c), start + 1);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** A quoted string or name from its opening quote; doubled quotes and (not in names) backslash escapes. */
    private String quoted(char quote) {
        int start = position;
        position++;
        StringBuilder text = new StringBuilder();
        while (position < sql.length()) {
            char c = sql.charAt(position++);
            if (c == quote) {
                if (position < sql.length() && sql.charAt(position) == quote) {
                    text.append(quote);
                    position++;
                    continue;
                }
                return text.toString();
            }
            if (c == '\\' && quote != '`' && position < sql.length()) {
                text.append(unescape(sql.charAt(position++)));
                continue;
            }
            text.append(c);
        }
        throw new AdminSyntaxException(sql.substring(start, Math.min(sql.length(), start + 20)), start + 1,
                "a closing " + quote);
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '0' -> '\0';
            default -> c;
        };
    }

    private void skipSpaceAndComments() {
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            } else if (c == '#' || (c == '-' && sql.startsWith("--", position)
                    && (position + 2 == sql.length() || Character.isWhitespace(sql.charAt(position + 2))))) {
                int end = sql.indexOf('\n', position);
                position = end < 0 ? sql.length() : end + 1;
            } else if (c == '/' && sql.startsWith("/*", position)) {
                int end = sql.indexOf("*/", position + 2);
                if (end < 0) {
                    throw new AdminSyntaxException("/*", position + 1, "the end of the comment (*/)");
                }
                position = end + 2;
            } else {
                return;
            }
        }
    }
}
