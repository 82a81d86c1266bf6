package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;

/**
 * {@code LIMIT rows}, {@code LIMIT offset, rows} or {@code LIMIT rows OFFSET offset}, read with the
 * lexer standing on LIMIT.
 *
 * @param found whether literal numbers followed (a LIMIT with placeholders or expressions has none)
 * @param next  the token after the clause
 */
record LimitClause(boolean found, long offset, long rows, Token next) {

    static LimitClause read(SqlLexer lexer) {
        Token token = lexer.next();
        if (token != Token.NUMBER) {
            return new LimitClause(false, 0, -1, token);
        }
        long first = number(lexer);
        token = lexer.next();
        if (token == Token.COMMA && (token = lexer.next()) == Token.NUMBER) {
            long rows = number(lexer);
            return new LimitClause(true, first, rows, lexer.next());
        }
        if (token == Token.WORD && lexer.is("OFFSET") && (token = lexer.next()) == Token.NUMBER) {
            long offset = number(lexer);
            return new LimitClause(true, offset, first, lexer.next());
        }
        return new LimitClause(true, 0, first, token);
    }

    private static long number(SqlLexer lexer) {
        try {
            return Long.parseLong(lexer.text());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
