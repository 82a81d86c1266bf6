# MySQL Connector/J behaviour checks (compat/jdbc/DriverCheck.java): its own test suite is not
# published on Maven Central (no tests / test-sources classifier), see compat/README.md.
SUITE_TITLE="MySQL Connector/J driver checks: direct vs mysqlmux"
JDBC_DRIVER=mysql
source "$COMPAT_DIR/lib/jdbc.sh"
suite_prepare() { jdbc_prepare com.mysql mysql-connector-j "${JDBC_MYSQL_VERSION:-9.7.0}"; }
