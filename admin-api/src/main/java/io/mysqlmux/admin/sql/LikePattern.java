package io.mysqlmux.admin.sql;

import java.util.Locale;

/**
 * SQL {@code LIKE} matching, case-insensitive as the server's SHOW VARIABLES LIKE is: {@code %} any
 * run of characters, {@code _} one character, {@code \} makes the next one literal.
 */
public final class LikePattern {
    private final String pattern;

    public LikePattern(String pattern) {
        this.pattern = pattern.toLowerCase(Locale.ROOT);
    }

    public boolean matches(String value) {
        return matches(value.toLowerCase(Locale.ROOT), 0, 0);
    }

    private boolean matches(String value, int v, int p) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '%') {
                while (p < pattern.length() && pattern.charAt(p) == '%') {
                    p++;
                }
                if (p == pattern.length()) {
                    return true;
                }
                for (int start = v; start <= value.length(); start++) {
                    if (matches(value, start, p)) {
                        return true;
                    }
                }
                return false;
            }
            if (v >= value.length()) {
                return false;
            }
            if (c == '\\' && p + 1 < pattern.length()) {
                p++;
                c = pattern.charAt(p);
                if (value.charAt(v) != c) {
                    return false;
                }
            } else if (c != '_' && value.charAt(v) != c) {
                return false;
            }
            v++;
            p++;
        }
        return v == value.length();
    }
}
