package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.SqlLexer.Token;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlLexerTest {

    private static List<String> tokens(String sql, boolean noBackslashEscapes, boolean ansiQuotes) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        SqlLexer lexer = new SqlLexer(bytes, 0, bytes.length, noBackslashEscapes, ansiQuotes);
        List<String> out = new ArrayList<>();
        for (Token t = lexer.next(); t != Token.END; t = lexer.next()) {
            out.add(t + ":" + new String(bytes, lexer.start(), lexer.end() - lexer.start(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> tokens(String sql) {
        return tokens(sql, false, false);
    }

    @Test
    void wordsNumbersPunctuationAndVariables() {
        assertEquals(List.of("WORD:SELECT", "USER_VARIABLE:@a", "COMMA:,", "SYSTEM_VARIABLE:@@session.time_zone",
                "COMMA:,", "NUMBER:12", "OTHER:+", "WORD:f", "LEFT_PAREN:(", "RIGHT_PAREN:)", "SEMICOLON:;"),
                tokens("SELECT @a, @@session.time_zone, 12 + f();"));
        assertEquals(List.of("WORD:SET", "USER_VARIABLE:@`odd name`", "ASSIGN::=", "USER_VARIABLE:@'q'",
                "EQUALS:=", "NUMBER:1"), tokens("SET @`odd name` := @'q' = 1"));
    }

    @Test
    void commentsAreSkippedButExecutableCommentsAreCode() {
        assertEquals(List.of("WORD:SELECT", "NUMBER:1"),
                tokens("/* GET_LOCK('x') */ SELECT -- GET_LOCK\n 1 # GET_LOCK"));
        assertEquals(List.of("WORD:SELECT", "WORD:GET_LOCK", "LEFT_PAREN:(", "STRING:'x'", "COMMA:,", "NUMBER:1",
                "RIGHT_PAREN:)"), tokens("SELECT /*!50000 GET_LOCK('x', 1) */"));
        assertEquals(List.of("WORD:SET", "WORD:NAMES", "WORD:utf8"), tokens("/*M!100100 SET NAMES utf8 */"));
        assertEquals(List.of("NUMBER:1", "OTHER:-", "OTHER:-", "NUMBER:1"), tokens("1--1"), "-- needs a space");
    }

    @Test
    void stringsHideTheirContent() {
        assertEquals(List.of("WORD:SELECT", "STRING:'it''s GET_LOCK('", "COMMA:,", "STRING:\"a \\\" b\""),
                tokens("SELECT 'it''s GET_LOCK(', \"a \\\" b\""));
        assertEquals(List.of("WORD:SELECT", "STRING:'a\\'", "COMMA:,", "NUMBER:1"),
                tokens("SELECT 'a\\', 1", true, false), "NO_BACKSLASH_ESCAPES: backslash is plain");
        assertEquals(List.of("WORD:SELECT", "QUOTED_IDENTIFIER:\"col\""), tokens("SELECT \"col\"", false, true));
        assertEquals(List.of("WORD:SELECT", "QUOTED_IDENTIFIER:`a``b`"), tokens("SELECT `a``b`"));
    }

    @Test
    void unterminatedThingsEndAtTheEndOfInput() {
        assertEquals(List.of("WORD:SELECT", "STRING:'abc"), tokens("SELECT 'abc"));
        assertEquals(List.of("WORD:SELECT"), tokens("SELECT /* never closed"));
    }
}
