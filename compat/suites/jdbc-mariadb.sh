# MariaDB Connector/J behaviour checks (compat/jdbc/DriverCheck.java): its own test suite is not
# published on Maven Central (no tests / test-sources classifier), see compat/README.md.
SUITE_TITLE="MariaDB Connector/J driver checks: direct vs mysqlmux"
JDBC_DRIVER=mariadb
source "$COMPAT_DIR/lib/jdbc.sh"
suite_prepare() { jdbc_prepare org.mariadb.jdbc mariadb-java-client "${JDBC_MARIADB_VERSION:-3.5.11}"; }
