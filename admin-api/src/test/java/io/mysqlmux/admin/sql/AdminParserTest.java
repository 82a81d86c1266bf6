package io.mysqlmux.admin.sql;

import io.mysqlmux.admin.sql.AdminStatement.Assignment;
import io.mysqlmux.admin.sql.AdminStatement.ItemKind;
import io.mysqlmux.admin.sql.AdminStatement.SelectItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"SHOW POOLS", "show pools", "  Show   Pools ; ", "SHOW /* all of them */ POOLS",
        "SHOW POOLS -- the pools\n", "# first a comment\nSHOW POOLS", "SHOW POOLS;"})
    void keywordsAreCaseInsensitiveAndCommentsAndTrailingSemicolonAreSkipped(String sql) {
        assertInstanceOf(AdminStatement.ShowPools.class, AdminParser.parse(sql));
    }

    @Test
    void everyShowStatement() {
        assertEquals(new AdminStatement.ShowClients(false, false), AdminParser.parse("SHOW CLIENTS"));
        assertEquals(new AdminStatement.ShowClients(true, false), AdminParser.parse("SHOW PROCESSLIST"));
        assertEquals(new AdminStatement.ShowClients(true, true), AdminParser.parse("show full processlist"));
        assertInstanceOf(AdminStatement.ShowBackends.class, AdminParser.parse("SHOW BACKENDS"));
        assertInstanceOf(AdminStatement.ShowStats.class, AdminParser.parse("SHOW STATS"));
        assertInstanceOf(AdminStatement.ShowUsers.class, AdminParser.parse("SHOW USERS"));
        assertEquals(new AdminStatement.ShowVariables(null), AdminParser.parse("SHOW VARIABLES"));
        assertEquals(new AdminStatement.ShowVariables("pool.%"), AdminParser.parse("SHOW VARIABLES LIKE 'pool.%'"));
        assertEquals(new AdminStatement.ShowVariables("it's"), AdminParser.parse("SHOW GLOBAL VARIABLES LIKE 'it\\'s'"));
        assertEquals(new AdminStatement.ShowVariables("a\"b"), AdminParser.parse("SHOW VARIABLES LIKE \"a\"\"b\""));
        assertInstanceOf(AdminStatement.ShowEmpty.class, AdminParser.parse("SHOW WARNINGS LIMIT 10"));
    }

    @Test
    void setOfASettingKeepsItsDottedNameAndValueWithUnit() {
        AdminStatement.Set set = (AdminStatement.Set) AdminParser.parse("SET pool.max_size = 30");
        assertEquals(List.of(new Assignment("pool.max_size", false, "30", 5)), set.assignments());
        assertEquals("10s", only(AdminParser.parse("set client.idle_timeout=10s")).value());
        assertEquals("64M", only(AdminParser.parse("SET client.max_packet_size TO '64M'")).value());
        assertEquals("-1", only(AdminParser.parse("SET pool.max_size = -1")).value());
        assertEquals("users.app.max_connections", only(AdminParser.parse("SET `users`.app.max_connections = 5")).name());
        Assignment global = only(AdminParser.parse("SET GLOBAL max_client_connections = 100"));
        assertTrue(global.scoped());
        assertEquals("max_client_connections", global.name());
    }

    @Test
    void driverSessionSetsParseWithTheirExpressions() {
        AdminStatement.Set names = (AdminStatement.Set) AdminParser.parse("SET NAMES utf8mb4 COLLATE utf8mb4_general_ci");
        assertEquals("NAMES", names.assignments().get(0).name());
        AdminStatement.Set mariadb = (AdminStatement.Set) AdminParser.parse(
                "set autocommit=1,sql_mode=concat(@@sql_mode,',STRICT_TRANS_TABLES'),session_track_schema=1");
        assertEquals(3, mariadb.assignments().size());
        assertNull(mariadb.assignments().get(1).value(), "an expression has no single value");
        assertEquals("session_track_schema", mariadb.assignments().get(2).name());
        Assignment variable = only(AdminParser.parse("SET @@session.autocommit = 1"));
        assertTrue(variable.scoped());
        assertEquals("character_set_results", only(AdminParser.parse("SET character_set_results = NULL")).name());
    }

    @Test
    void killForms() {
        assertEquals(new AdminStatement.Kill(42), AdminParser.parse("KILL 42"));
        assertEquals(new AdminStatement.Kill(42), AdminParser.parse("kill connection 42;"));
        assertEquals(new AdminStatement.KillIdle(300), AdminParser.parse("KILL IDLE 300"));
        AdminSyntaxException query = assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("KILL QUERY 4"));
        assertTrue(query.getMessage().contains("whole client connections"), query.getMessage());
    }

    @Test
    void controlStatements() {
        assertEquals(new AdminStatement.Shutdown(false), AdminParser.parse("SHUTDOWN"));
        assertEquals(new AdminStatement.Shutdown(true), AdminParser.parse("shutdown graceful"));
        assertInstanceOf(AdminStatement.Pause.class, AdminParser.parse("PAUSE"));
        assertInstanceOf(AdminStatement.Resume.class, AdminParser.parse("RESUME"));
        assertInstanceOf(AdminStatement.Reload.class, AdminParser.parse("RELOAD"));
        assertInstanceOf(AdminStatement.Help.class, AdminParser.parse("help"));
        assertEquals(new AdminStatement.Use("app"), AdminParser.parse("USE `app`"));
    }

    @Test
    void connectorJsConnectQueryParsesWithItsAliasesAndComment() {
        String sql = "/* mysql-connector-j-9.7.0 (Revision: x) */SELECT  @@session.auto_increment_increment AS"
                + " auto_increment_increment, @@character_set_client AS character_set_client, @@license AS license,"
                + " @@wait_timeout AS wait_timeout";
        AdminStatement.Select select = (AdminStatement.Select) AdminParser.parse(sql);
        assertEquals(4, select.items().size());
        assertEquals(new SelectItem(ItemKind.VARIABLE, "@@session.auto_increment_increment", "auto_increment_increment"),
                select.items().get(0));
        AdminStatement.Select cli = (AdminStatement.Select) AdminParser.parse("select @@version_comment limit 1");
        assertEquals("@@version_comment", cli.items().get(0).label());
        AdminStatement.Select functions = (AdminStatement.Select) AdminParser.parse("SELECT DATABASE(), USER() u, 1, 'x', NULL");
        assertEquals(List.of(ItemKind.FUNCTION, ItemKind.FUNCTION, ItemKind.NUMBER, ItemKind.STRING, ItemKind.NULL),
                functions.items().stream().map(SelectItem::kind).toList());
        assertEquals("u", functions.items().get(1).label());
    }

    @Test
    void syntaxErrorsNameWhatAndWhere() {
        AdminSyntaxException unknown = assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("SHOW POOLZ"));
        assertEquals(6, unknown.position());
        assertTrue(unknown.getMessage().startsWith("You have an error in your admin statement syntax near 'POOLZ' at"
                + " position 6"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("HELP"), unknown.getMessage());

        AdminSyntaxException two = assertThrows(AdminSyntaxException.class,
                () -> AdminParser.parse("SHOW POOLS; SHOW STATS"));
        assertEquals(13, two.position());
        assertTrue(two.getMessage().contains("one statement at a time"), two.getMessage());

        AdminSyntaxException open = assertThrows(AdminSyntaxException.class,
                () -> AdminParser.parse("SHOW VARIABLES LIKE 'pool"));
        assertEquals(21, open.position());
        AdminSyntaxException comment = assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("SHOW /* x"));
        assertEquals(6, comment.position());
        AdminSyntaxException missing = assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("SET pool.max_size"));
        assertTrue(missing.getMessage().contains("end of statement"), missing.getMessage());
        AdminSyntaxException empty = assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("   "));
        assertTrue(empty.getMessage().contains("HELP"), empty.getMessage());
        assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("DROP TABLE users"));
        assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("KILL abc"));
        assertThrows(AdminSyntaxException.class, () -> AdminParser.parse("SHOW VARIABLES LIKE pool"));
    }

    private static Assignment only(AdminStatement statement) {
        List<Assignment> assignments = ((AdminStatement.Set) statement).assignments();
        assertEquals(1, assignments.size());
        return assignments.get(0);
    }
}
