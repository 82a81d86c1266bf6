package io.mysqlmux.proxy.sql;

/**
 * Cuts MySQL statement text into tokens, skipping comments and never looking inside string
 * literals, so that what the proxy finds in a statement is really code. Not a parser: it knows
 * words, quoted things, variables, numbers and punctuation. Works on the bytes as sent (every
 * character set a client may use is ASCII-compatible for the characters that matter here).
 *
 * <p>Follows the server's rules: {@code #} and {@code -- } comments to the end of the line,
 * {@code /* *\/} comments, except executable ones ({@code /*!50100 ...*\/}, MariaDB's
 * {@code /*M!...*\/}) whose content is code; backslash escapes unless NO_BACKSLASH_ESCAPES; double
 * quotes delimit identifiers under ANSI_QUOTES.
 *
 * <pre>{@code
 *   SqlLexer lexer = new SqlLexer(bytes, 0, bytes.length, false, false);
 *   while (lexer.next() != Token.END) { ... lexer.start(), lexer.end(), lexer.text() ... }
 * }</pre>
 */
public final class SqlLexer {

    /** Token kinds. */
    public enum Token { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, USER_VARIABLE, SYSTEM_VARIABLE, ASSIGN, EQUALS,
        LEFT_PAREN, RIGHT_PAREN, COMMA, SEMICOLON, DOT, OTHER, END }

    private final byte[] sql;
    private final int limit;
    private final boolean noBackslashEscapes;
    private final boolean ansiQuotes;
    private int position;
    private int start;
    private int end;
    /** Inside an executable comment: its closing {@code *}{@code /} is not a token. */
    private boolean inExecutableComment;

    /**
     * @param noBackslashEscapes the session's sql_mode has NO_BACKSLASH_ESCAPES (backslash is a plain character)
     * @param ansiQuotes         the session's sql_mode has ANSI_QUOTES ({@code "x"} is an identifier)
     */
    public SqlLexer(byte[] sql, int offset, int length, boolean noBackslashEscapes, boolean ansiQuotes) {
        this.sql = sql;
        this.position = offset;
        this.limit = offset + length;
        this.noBackslashEscapes = noBackslashEscapes;
        this.ansiQuotes = ansiQuotes;
    }

    /** Moves to the next token and returns its kind. */
    public Token next() {
        skipSpaceAndComments();
        start = position;
        if (position >= limit) {
            end = position;
            return Token.END;
        }
        int c = sql[position] & 0xFF;
        Token token = scan(c);
        end = position;
        return token;
    }

    private Token scan(int c) {
        if (isWordStart(c)) {
            position = wordEnd(position);
            return Token.WORD;
        }
        if (c >= '0' && c <= '9') {
            position = wordEnd(position);
            return Token.NUMBER;
        }
        switch (c) {
            case '\'':
                position = quotedEnd(position, '\'');
                return Token.STRING;
            case '"':
                position = quotedEnd(position, '"');
                return ansiQuotes ? Token.QUOTED_IDENTIFIER : Token.STRING;
            case '`':
                position = quotedEnd(position, '`');
                return Token.QUOTED_IDENTIFIER;
            case '@':
                return variable();
            case '(':
                position++;
                return Token.LEFT_PAREN;
            case ')':
                position++;
                return Token.RIGHT_PAREN;
            case ',':
                position++;
                return Token.COMMA;
            case ';':
                position++;
                return Token.SEMICOLON;
            case '.':
                position++;
                return Token.DOT;
            case '=':
                position++;
                return Token.EQUALS;
            case ':':
                if (peek(1) == '=') {
                    position += 2;
                    return Token.ASSIGN;
                }
                position++;
                return Token.OTHER;
            default:
                position++;
                return Token.OTHER;
        }
    }

    /** {@code @name}, {@code @'name'}, {@code @`name`}: user variables; {@code @@[scope.]name}: system variables. */
    private Token variable() {
        if (peek(1) == '@') {
            position += 2;
            position = wordEnd(position);
            while (position < limit && sql[position] == '.') {
                position = wordEnd(position + 1);
            }
            return Token.SYSTEM_VARIABLE;
        }
        position++;
        int c = peek(0);
        if (c == '\'' || c == '"' || c == '`') {
            position = quotedEnd(position, c);
        } else {
            position = wordEnd(position);
        }
        return Token.USER_VARIABLE;
    }

    private void skipSpaceAndComments() {
        while (position < limit) {
            int c = sql[position] & 0xFF;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                position++;
            } else if (c == '#' || (c == '-' && peek(1) == '-' && isCommentDashEnd(peek(2)))) {
                skipToEndOfLine();
            } else if (c == '/' && peek(1) == '*') {
                openComment();
            } else if (c == '*' && peek(1) == '/' && inExecutableComment) {
                inExecutableComment = false;
                position += 2;
            } else {
                return;
            }
        }
    }

    /** {@code -- } starts a comment only when followed by white space or a control character (or the end). */
    private static boolean isCommentDashEnd(int c) {
        return c == -1 || c <= ' ';
    }

    private void skipToEndOfLine() {
        while (position < limit && sql[position] != '\n') {
            position++;
        }
    }

    /** At {@code /*}: executable comments open a code region; others are skipped whole. */
    private void openComment() {
        int executable = executableCommentBody();
        if (executable >= 0) {
            position = executable;
            inExecutableComment = true;
            return;
        }
        int close = indexOf('*', '/', position + 2);
        position = close < 0 ? limit : close + 2;
    }

    /** Where the code of {@code /*!NNNNN ...}, {@code /*M!NNNNN ...} begins, or -1 for a plain comment. */
    private int executableCommentBody() {
        int p = position + 2;
        if (p < limit && (sql[p] == 'M' || sql[p] == 'm') && p + 1 < limit && sql[p + 1] == '!') {
            p++;
        }
        if (p >= limit || sql[p] != '!') {
            return -1;
        }
        p++;
        while (p < limit && sql[p] >= '0' && sql[p] <= '9') {
            p++;
        }
        return p;
    }

    private int indexOf(char a, char b, int from) {
        for (int i = from; i + 1 < limit; i++) {
            if (sql[i] == a && sql[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The end of a quoted token starting at {@code from}; a doubled quote is an escaped one. */
    private int quotedEnd(int from, int quote) {
        int p = from + 1;
        while (p < limit) {
            int c = sql[p] & 0xFF;
            if (c == '\\' && quote != '`' && !noBackslashEscapes) {
                p += 2;
            } else if (c == quote) {
                if (p + 1 < limit && (sql[p + 1] & 0xFF) == quote) {
                    p += 2;
                } else {
                    return p + 1;
                }
            } else {
                p++;
            }
        }
        return limit;
    }

    private int wordEnd(int from) {
        int p = from;
        while (p < limit && isWordPart(sql[p] & 0xFF)) {
            p++;
        }
        return p;
    }

    private static boolean isWordStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
    }

    private static boolean isWordPart(int c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private int peek(int ahead) {
        int p = position + ahead;
        return p < limit ? sql[p] & 0xFF : -1;
    }

    /** Start of the current token in the input. */
    public int start() {
        return start;
    }

    /** End (exclusive) of the current token in the input. */
    public int end() {
        return end;
    }

    /** True when the current token is the word {@code upper} (any case). */
    public boolean is(String upper) {
        if (end - start != upper.length()) {
            return false;
        }
        for (int i = 0; i < upper.length(); i++) {
            int c = sql[start + i];
            if (c != upper.charAt(i) && (c & ~0x20) != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The current token's text, upper-cased ASCII (for words and variable names). */
    public String upperText() {
        StringBuilder text = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            int c = sql[i] & 0xFF;
            text.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c));
        }
        return text.toString();
    }

    /** The current token's text as sent (ISO-8859-1 view of the bytes, enough for ASCII tokens). */
    public String text() {
        return new String(sql, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
