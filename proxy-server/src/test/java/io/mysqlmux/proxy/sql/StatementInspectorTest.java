package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
            "INSERT INTO t VALUES (1, @x)", "UPDATE t SET a = 1",
            "SELECT `GET_LOCK`(1)", "SELECT LAST_INSERT_ID()", "BEGIN", "SELECT @@session.autocommit"})
    void ordinaryStatementsHaveNoTraits(String sql) {
        StatementTraits traits = inspect(sql);
        assertTrue(traits == StatementTraits.NONE || traits == StatementTraits.TABLES_ONLY, traits.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1|false", "SELECT @@warning_count|false", "SET @a = 1|false", "DO 1|false",
        "SELECT * FROM t|true", "insert t values (1)|true", "UPDATE t SET a = 1|true", "SHOW COLUMNS FROM t|true",
        "DROP TABLE t|true", "SELECT a FROM (SELECT 1 a) x JOIN y|true", "LOCK TABLES t READ|true"})
    void tablesAreNamedWhereTheServerClearsTheDiagnostics(String sql, boolean tables) {
        assertEquals(tables, inspect(sql).has(StatementTraits.USES_TABLES), sql);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SHOW WARNINGS|false|false|0|-1", "show errors limit 5|true|false|0|5",
        "SHOW WARNINGS LIMIT 2, 3|false|false|2|3", "SHOW COUNT(*) ERRORS|true|true|0|-1",
        "SHOW WARNINGS LIMIT 4 OFFSET 1|false|false|1|4"})
    void diagnosticStatementsAreRecognized(String sql, boolean errors, boolean count, long offset, long rows) {
        assertEquals(new StatementTraits.Diagnostics(errors, count, offset, rows), inspect(sql).diagnostics(), sql);
    }

    @Test
    void warningAndErrorCountsAreTheSessionsValues() {
        StatementTraits traits = inspect("SELECT @@warning_count, @@session.error_count + 1");
        assertEquals(2, traits.calls().size());
        assertEquals(Function.WARNING_COUNT, traits.calls().get(0).function());
        assertTrue(traits.calls().get(0).bareSelectItem());
        assertEquals(Function.ERROR_COUNT, traits.calls().get(1).function());
        assertFalse(traits.calls().get(1).bareSelectItem());
        assertEquals(List.of(), inspect("SELECT @@global.warning_count").calls());
    }

    @Test
    void theLimitOffsetOfASelectCountsInFoundRows() {
        assertEquals(2, inspect("SELECT * FROM t ORDER BY a LIMIT 2, 1").limitOffset());
        assertEquals(3, inspect("SELECT * FROM t LIMIT 1 OFFSET 3").limitOffset());
        assertEquals(0, inspect("SELECT * FROM t LIMIT 5").limitOffset());
        assertTrue(inspect("INSERT INTO t SELECT * FROM u").has(StatementTraits.INSERT_SELECT));
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

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE PROCEDURE p() BEGIN SET @stmt = 'SELECT 1'; PREPARE s FROM @stmt; EXECUTE s; END",
        "create definer=root@localhost procedure p() begin select get_lock('x', 1); end",
        "CREATE OR REPLACE FUNCTION f() RETURNS INT RETURN CONNECTION_ID()",
        "CREATE VIEW v AS SELECT CONNECTION_ID() AS c, FOUND_ROWS()",
        "CREATE TRIGGER t BEFORE INSERT ON t1 FOR EACH ROW SET @n = @n + 1",
        "ALTER EVENT e DO CREATE TEMPORARY TABLE tt (x INT)",
        "CREATE DEFINER=CURRENT_USER SQL SECURITY INVOKER VIEW v AS SELECT NEXTVAL(s)"})
    void storedProgramBodiesRunLaterSoTheyPinNothingAndGetNoValues(String sql) {
        assertSame(StatementTraits.NONE, inspect(sql), sql);
    }

    @Test
    void anAnonymousBlockRunsNowAndIsInspected() {
        StatementTraits traits = inspect("BEGIN NOT ATOMIC SET @x = 1; SELECT GET_LOCK('a', 1); END");
        assertTrue(traits.has(StatementTraits.USER_VARIABLE) && traits.has(StatementTraits.NAMED_LOCK));
    }

    @Test
    void aTableCreatedFromASelectRunsTheSelectNow() {
        assertTrue(inspect("CREATE TEMPORARY TABLE t AS SELECT 1").has(StatementTraits.TEMPORARY_TABLE));
        assertEquals(1, inspect("CREATE TABLE t AS SELECT CONNECTION_ID()").calls().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SET innodb_lock_wait_timeout = 33|innodb_lock_wait_timeout",
        "SET SESSION a = 1, b = 'x', @@c = 2, @@session.d = 3, @@global.e = 4|a,b,c,d",
        "SET GLOBAL a = 1, b = 2, SESSION c = 3|c",
        "set local sql_mode = '', @u = 1, time_zone = '+00:00'|sql_mode,time_zone",
        "SET NAMES utf8mb4|",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED|",
        "SET PASSWORD = PASSWORD('x')|"})
    void setNamesTheSessionVariablesItAssigns(String sql, String expected) {
        List<String> names = expected == null ? List.of() : List.of(expected.split(","));
        assertEquals(names, inspect(sql).variables(), sql);
    }

    @Test
    void setStatementVariablesAreForThatStatementOnly() {
        StatementTraits traits = inspect("SET STATEMENT sql_select_limit = 1, max_join_size = 10 FOR"
                + " SELECT SQL_CALC_FOUND_ROWS * FROM t");
        assertEquals(List.of("sql_select_limit", "max_join_size"), traits.oneShot());
        assertEquals(List.of(), traits.variables());
        assertTrue(traits.has(StatementTraits.CALC_FOUND_ROWS), "the statement after FOR is inspected");
    }
}
