package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.backend.StatementKey;
import io.mysqlmux.proxy.sql.StatementTraits;

/**
 * A statement a client prepared, under the id the proxy gave it. It lives on no particular server
 * connection: whichever the session borrows gets it prepared (by {@link #key}) when first executed
 * there.
 *
 * @param parameters from the PREPARE_OK; COM_STMT_EXECUTE's layout depends on it
 * @param traits     what the lexer found in the text (applied when the statement is executed)
 */
record ClientStatement(long id, StatementKey key, int parameters, int columns, StatementTraits traits,
                       Types types) {

    /** The parameter types the client sent last (it may send {@code new_params_bound_flag = 0} after). */
    static final class Types {
        private byte[] last;

        byte[] last() {
            return last;
        }

        void last(byte[] types) {
            this.last = types;
        }
    }

    /**
     * ROW_COUNT() and FOUND_ROWS() in a prepared statement refer to whatever ran before on the same
     * server connection, which a proxy cannot supply per execution: such a statement pins.
     */
    boolean readsPreviousStatement() {
        return traits.calls().stream().anyMatch(call -> call.function() != StatementTraits.Function.CONNECTION_ID);
    }
}
