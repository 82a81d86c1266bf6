package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementInspectorTest {

    private static StatementTraits inspect(String sql) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        return StatementInspector.inspect(bytes, 0, bytes.length, false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "SELECT * FROM t WHERE a = 'GET_LOCK(' -- GET_LOCK(\n",
            "INSERT INTO t VALUES (1, @x)", "SET time_zone = '+01:00'", "UPDATE t SET a = 1",
            "SELECT `GET_LOCK`(1)", "SELECT LAST_INSERT_ID()", "BEGIN", "SELECT @@session.autocommit"})
    void ordinaryStatementsHaveNoTraits(String sql) {
        assertSame(StatementTraits.NONE, inspect(sql));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SET @a = 1|1",
        "SET @a = 1, time_zone = '+03:00'|1",
        "set session time_zone = 'x', @b := 2|1",
        "SELECT 1 INTO @b|1",
        "SELECT a, b FROM t INTO @x, @y|1",
        "SELECT @n := @n + 1 FROM t|1",
        "CREATE TEMPORARY TABLE tt (x INT)|2",
        "create or replace temporary table tt (x int)|2",
        "PREPARE s FROM 'SELECT 1'|4",
        "SELECT GET_LOCK('job', 10)|8",
        "DO get_lock ('job', 0)|8",
        "HANDLER t OPEN|16",
        "SELECT NEXTVAL(s)|32",
        "SELECT PREVIOUS VALUE FOR s|32",
        "SET insert_id = 5|64",
        "SET @@session.timestamp = 1000|64",
        "SET SESSION sql_log_bin = 0|64",
        "SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1|128",
        "SET session_track_system_variables = '*'|256",
        "set autocommit=1, session_track_system_variables=CONCAT(@@global.session_track_system_variables,',x')|256",
        "XA START 'x'|512",
        "SELECT 1; SET @late = 2|1",
        "/*!40101 SET @OLD = @@SQL_MODE */|1",
    })
    void flagsWhatNoTrackerReports(String sql, int flag) {
        StatementTraits traits = inspect(sql);
        assertTrue(traits.has(flag), sql + " -> " + traits);
    }

    @Test
    void userVariablesThatAreOnlyReadDoNotCount() {
        assertFalse(inspect("SELECT @x, @y + 1 FROM t WHERE a = @z").has(StatementTraits.USER_VARIABLE));
        assertFalse(inspect("INSERT INTO t SET a = @x").has(StatementTraits.USER_VARIABLE));
    }

    @Test
    void sessionCallsAreFoundWithTheirSpansAndWhetherTheyAreWholeSelectItems() {
        String sql = "SELECT found_rows(), ROW_COUNT() AS n, CONNECTION_ID() + 1, Connection_Id ( ) FROM DUAL";
        StatementTraits traits = inspect(sql);
        assertEquals(4, traits.calls().size());
        FunctionCall first = traits.calls().get(0);
        assertEquals(Function.FOUND_ROWS, first.function());
        assertEquals("found_rows()", sql.substring(first.start(), first.end()));
        assertTrue(first.bareSelectItem());
        assertFalse(traits.calls().get(1).bareSelectItem(), "aliased");
        assertFalse(traits.calls().get(2).bareSelectItem(), "inside an expression");
        FunctionCall last = traits.calls().get(3);
        assertEquals("Connection_Id ( )", sql.substring(last.start(), last.end()));
        assertTrue(last.bareSelectItem());
    }

    @Test
    void callsInsideStringsAndCommentsAreNotCalls() {
        assertTrue(inspect("SELECT 'FOUND_ROWS()' /* ROW_COUNT() */").calls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "KILL 17|false|17|true",
        "kill query 17|true|17|true",
        "KILL HARD CONNECTION 9;|false|9|true",
        "KILL QUERY ID 5|true|-1|false",
        "KILL USER app|false|-1|false",
    })
    void killStatements(String sql, boolean query, long id, boolean supported) {
        StatementTraits.KillStatement kill = inspect(sql).kill();
        assertEquals(query, kill.query());
        assertEquals(id, kill.id());
        assertEquals(supported, kill.supported());
    }

    @Test
    void killInsideAnotherStatementIsNotAKill() {
        assertNull(inspect("SELECT 'KILL 5'").kill());
    }
}
