package io.mysqlmux.testing;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * mysqlmux running in the test JVM in front of an {@link EmbeddedMariaDb}, on a free loopback port,
 * with the database's {@code app} and {@code other} users configured.
 */
public final class ProxyFixture implements AutoCloseable {
    /** The admin port's password in tests (user {@code admin}). */
    public static final String ADMIN_PASSWORD = "admin-secret";

    private final ProxyServer server;

    private ProxyFixture(ProxyServer server) {
        this.server = server;
    }

    /** @param settings extra settings below {@code mysqlmux.} (e.g. {@code pool.max_size -> 4}) */
    public static ProxyFixture start(EmbeddedMariaDb db, Map<String, Object> settings) {
        return startAt(db, db.host(), db.port(), settings);
    }

    /** With the server reached at another address (a relay in front of {@code db}). */
    public static ProxyFixture startAt(EmbeddedMariaDb db, String host, int port, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>();
        config.put("mysqlmux.listen", "127.0.0.1:0");
        config.put("mysqlmux.http.listen", "127.0.0.1:0");
        config.put("mysqlmux.admin.listen", "127.0.0.1:0");
        config.put("mysqlmux.admin.password", ADMIN_PASSWORD);
        config.put("mysqlmux.backend.address", host + ":" + port);
        config.put("mysqlmux.users.app.password", EmbeddedMariaDb.APP.password());
        config.put("mysqlmux.users.other.password", EmbeddedMariaDb.OTHER.password());
        settings.forEach((key, value) -> config.put("mysqlmux." + key, value));
        ProxyServer server = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(config)));
        try {
            server.ready().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("proxy did not reach the embedded server: " + e, e);
        }
        return new ProxyFixture(server);
    }

    public static ProxyFixture start(EmbeddedMariaDb db) {
        return start(db, Map.of());
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.address().getPort();
    }

    /** A mysql-connector-j URL through the proxy; {@code params} without the leading '?'. */
    public String mysqlUrl(String db, String params) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + db + "?sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&connectTimeout=20000" + (params.isEmpty() ? "" : "&" + params);
    }

    /** A MariaDB Connector/J URL through the proxy; {@code params} without the leading '?'. */
    public String mariadbUrl(String db, String params) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + db + "?connectTimeout=20000"
                + (params.isEmpty() ? "" : "&" + params);
    }

    /** A mysql-connector-j connection to the admin port as the admin user. */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.adminEndpoints().adminAddress().getPort()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=20000", "admin", ADMIN_PASSWORD);
    }

    /** The HTTP endpoint's base URL ({@code http://127.0.0.1:port}). */
    public String httpBase() {
        return "http://127.0.0.1:" + server.adminEndpoints().httpAddress().getPort();
    }

    /** An {@code app} connection through the proxy with mysql-connector-j defaults. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(mysqlUrl(EmbeddedMariaDb.APP_DATABASE, ""), EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password());
    }

    @Override
    public void close() {
        server.close();
    }
}
