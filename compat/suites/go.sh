# The Go MySQL driver's own tests (Debian package golang-github-go-sql-driver-mysql-dev), built
# once offline in a throw-away GOPATH, then each Test* function run alone in its own process,
# killed after TEST_TIMEOUT seconds (HANG).
SUITE_TITLE="go-sql-driver/mysql tests: direct vs mysqlmux"
GO_DRIVER_SRC=/usr/share/gocode/src/github.com/go-sql-driver/mysql
TEST_TIMEOUT=${TEST_TIMEOUT:-60}
# Not run: TestConnectorReturnsTimeout dials 1.1.1.1:1234, a host outside this machine.
GO_EXCLUDE="TestConnectorReturnsTimeout"

suite_prepare() {
    need_packages go:golang-go "$GO_DRIVER_SRC/driver.go:golang-github-go-sql-driver-mysql-dev"
    local gopath="$RUN_DIR/gopath" pkg="$RUN_DIR/gopath/src/github.com/go-sql-driver/mysql"
    mkdir -p "$pkg" "$RUN_DIR/gocache"
    cp -a "$GO_DRIVER_SRC/." "$pkg/"
    log "go: building the driver's test binary ($(go version | awk '{print $3}'))"
    (cd "$pkg" && GO111MODULE=off GOPATH="$gopath" GOCACHE="$RUN_DIR/gocache" GOFLAGS= GOPROXY=off \
        timeout 600 go test -c -o "$RUN_DIR/mysql.test" .) >"$RUN_DIR/go-build.log" 2>&1 \
        || die "go test -c failed, see $RUN_DIR/go-build.log"
    if [[ -n $ONLY ]]; then printf '%s\n' $ONLY; else "$RUN_DIR/mysql.test" -test.list '.*'; fi \
        | grep -E '^(Test|Example)' | grep -v -x -F -f <(printf '%s\n' $GO_EXCLUDE) >"$RUN_DIR/tests.txt"
    GO_PKG_DIR=$pkg
    log "go: $(wc -l <"$RUN_DIR/tests.txt") tests, $TEST_TIMEOUT s each at most"
    SERVER_SETUP_SQL="CREATE DATABASE IF NOT EXISTS gotest;"
    # The driver's tests assume a transactional default engine (TestContextBeginIsolationLevel).
    SERVER_ENGINE=InnoDB
    REPORT_NOTE="Each test alone: \`mysql.test -test.v -test.run '^Name\$'\` with MYSQL_TEST_USER=root, MYSQL_TEST_ADDR=127.0.0.1:<port>, MYSQL_TEST_DBNAME=gotest, killed after $TEST_TIMEOUT s (HANG). Go driver $(dpkg-query -W -f '${Version}' golang-github-go-sql-driver-mysql-dev 2>/dev/null). Reason = the test's first error lines."
}

suite_run_target() { # target host port
    local target=$1 host=$2 port=$3 name rc out reason
    : >"$RUN_DIR/$target.tsv"
    while read -r name; do
        mux_ensure_running
        out="$TARGET_DIR/logs/$name.log"
        # The tests read testdata relative to the package directory.
        MYSQL_TEST_USER=root MYSQL_TEST_PASS= MYSQL_TEST_PROT=tcp MYSQL_TEST_ADDR="$host:$port" \
        MYSQL_TEST_DBNAME=gotest run_bounded "$TEST_TIMEOUT" "$out" \
            bash -c 'cd "$0" && exec "$1" -test.v -test.count=1 -test.timeout="$2" -test.run "^$3\$"' \
            "$GO_PKG_DIR" "$RUN_DIR/mysql.test" "$((TEST_TIMEOUT + 30))s" "$name"
        rc=$?
        reason=$(grep -E '^\s+[a-z_]+\.go:[0-9]+:|^\[mysql\]|panic:|Error' "$out" | head -3 | sed 's/^\s*//' | tr '\n' ' ')
        if ((rc == 124)); then record "$target" "$name" HANG "killed after $TEST_TIMEOUT s; ${reason:-$(tail -2 "$out" | tr '\n' ' ')}"
        elif grep -q -E "^--- SKIP: $name " "$out"; then record "$target" "$name" SKIP "$(grep -B1 -E "^--- SKIP" "$out" | head -1 | sed 's/^\s*//')"
        elif ((rc == 0)) && grep -q -E "^(--- PASS: $name |PASS$)" "$out"; then record "$target" "$name" PASS ""
        else record "$target" "$name" FAIL "exit $rc: ${reason:-$(tail -2 "$out" | tr '\n' ' ')}"
        fi
    done <"$RUN_DIR/tests.txt"
}
