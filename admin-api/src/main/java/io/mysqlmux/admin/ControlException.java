package io.mysqlmux.admin;

/**
 * A control request that cannot be done as asked (unknown setting, value out of range). The message
 * names what was asked and what is allowed; the admin port sends it as an ERR.
 */
public final class ControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }
}
