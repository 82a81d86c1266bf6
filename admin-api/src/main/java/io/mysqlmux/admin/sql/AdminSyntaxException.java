package io.mysqlmux.admin.sql;

/**
 * A statement the admin language does not have. The message follows the server's ERROR 1064
 * wording, with the 1-based position, so the operator sees where it went wrong.
 */
public final class AdminSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public AdminSyntaxException(String near, int position, String expected) {
        super("You have an error in your admin statement syntax near '" + near + "' at position " + position
                + (expected == null ? "" : ": expected " + expected) + "; HELP lists the statements");
        this.position = position;
    }

    public int position() {
        return position;
    }
}
