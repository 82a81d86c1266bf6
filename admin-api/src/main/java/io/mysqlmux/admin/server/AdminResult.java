package io.mysqlmux.admin.server;

import java.util.List;

/** What an admin statement answers: rows, an OK, or an error. */
public sealed interface AdminResult {

    /**
     * A result set, every value as text (null for SQL NULL).
     *
     * @param numeric per column: numbers (sent with a numeric column type so GUIs align and sort them)
     */
    record Rows(List<String> columns, boolean[] numeric, List<List<String>> rows) implements AdminResult {
    }

    /** @param info the OK's message, shown by the mysql client (e.g. {@code pool.max_size: 20 -> 30}) */
    record Ok(long affectedRows, String info) implements AdminResult {
    }

    record Error(int code, String sqlState, String message) implements AdminResult {
    }
}
