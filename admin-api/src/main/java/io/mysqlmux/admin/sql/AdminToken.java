package io.mysqlmux.admin.sql;

/**
 * One token of an admin statement.
 *
 * @param kind     what it is
 * @param text     the word as written (quotes removed, escapes applied, for strings and quoted names)
 * @param position where it starts, 1-based, for error messages
 */
public record AdminToken(Kind kind, String text, int position) {

    /** Token kinds: the admin language needs no more. */
    public enum Kind {
        /** A name or keyword: letters, digits, {@code _} and {@code $}; or a backtick-quoted name. */
        WORD,
        /** A quoted string. */
        STRING,
        /** A number, possibly with a unit ({@code 30}, {@code 2.5}, {@code 10s}, {@code 64M}). */
        NUMBER,
        /** {@code @@name} or {@code @name} (driver statements only). */
        VARIABLE,
        /** One punctuation character: {@code = , ; ( ) . *} and the like. */
        SYMBOL,
        END
    }

    /** Whether this is the keyword {@code upper} (any case; never a quoted name). */
    public boolean is(String upper) {
        return kind == Kind.WORD && text.equalsIgnoreCase(upper);
    }

    public boolean isSymbol(char c) {
        return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    /** For error messages: the token as the user wrote it, roughly. */
    public String shown() {
        return switch (kind) {
            case END -> "end of statement";
            case STRING -> "'" + text + "'";
            default -> text;
        };
    }
}
