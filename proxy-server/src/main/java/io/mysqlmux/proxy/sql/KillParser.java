package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;
import io.mysqlmux.proxy.sql.StatementTraits.KillStatement;

/**
 * {@code KILL [HARD | SOFT] [CONNECTION | QUERY] <id>} after the KILL word. MariaDB's
 * {@code KILL QUERY ID <query id>} and {@code KILL USER <name>} name things the proxy cannot map,
 * so they come back as unsupported.
 */
final class KillParser {

    private KillParser() {
    }

    static KillStatement parse(SqlLexer lexer) {
        boolean query = false;
        Token token = lexer.next();
        while (token == Token.WORD) {
            if (lexer.is("QUERY")) {
                query = true;
            } else if (lexer.is("ID") || lexer.is("USER")) {
                return new KillStatement(query, -1, false);
            } else if (!lexer.is("HARD") && !lexer.is("SOFT") && !lexer.is("CONNECTION")) {
                return new KillStatement(query, -1, false);
            }
            token = lexer.next();
        }
        if (token != Token.NUMBER) {
            return new KillStatement(query, -1, false);
        }
        long id;
        try {
            id = Long.parseLong(lexer.text());
        } catch (NumberFormatException e) {
            return new KillStatement(query, -1, false);
        }
        return new KillStatement(query, id, true);
    }
}
