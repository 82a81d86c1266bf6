# MariaDB's mysql-test-run (Debian package mariadb-test) against the target with --extern, on the
# tests listed in compat/mtr-tests.txt. One mtr invocation per test (about 2 s of start-up each),
# so that the runner can clean up after a test that failed half-way; mtr kills a test after
# TEST_TIMEOUT seconds (recorded as HANG).
SUITE_TITLE="mysql-test-run (main suite, --extern): direct vs mysqlmux"
MTR_DIR=/usr/share/mysql/mysql-test
TEST_TIMEOUT=${TEST_TIMEOUT:-60}

suite_prepare() {
    need_packages "$MTR_DIR/mariadb-test-run:mariadb-test" "$MTR_DIR/main/signal.test:mariadb-test-data"
    if [[ -n $ONLY ]]; then printf '%s\n' $ONLY; else sed 's/#.*//' "$COMPAT_DIR/mtr-tests.txt"; fi \
        | awk 'NF {print $1}' >"$RUN_DIR/tests.txt"
    log "mtr: $(wc -l <"$RUN_DIR/tests.txt") tests, $TEST_TIMEOUT s each at most"
    # The users the tests log in as with connect(...) or change_user: the proxy must know them
    # (name:password; the first password seen for a name).
    MUX_USERS=$(cd "$MTR_DIR/main" && sed 's/$/.test/' "$RUN_DIR/tests.txt" | xargs cat 2>/dev/null | awk '
        function clean(x) { gsub(/^[ \t"\047]+|[ \t"\047;)]+$/, "", x); return x }
        function add(u, p) { u = clean(u); p = clean(p)
            if (u ~ /^[A-Za-z0-9_]+$/ && u != "root" && p !~ /[$ ]/ && !(u in seen)) { seen[u] = 1; printf "%s:%s ", u, p } }
        { line = $0; sub(/^[ \t-]+/, "", line) }
        tolower(line) ~ /^connect *\(/ { sub(/^[^(]*\(/, "", line); n = split(line, f, ","); if (n >= 3) add(f[3], n >= 4 ? f[4] : ""); next }
        tolower(line) ~ /^connect / { sub(/^[^ ]+ +/, "", line); n = split(line, f, ","); if (n >= 3) add(f[3], n >= 4 ? f[4] : ""); next }
        tolower(line) ~ /^change_user / { sub(/^[^ ]+ +/, "", line); n = split(line, f, ","); add(f[1], n >= 2 ? f[2] : ""); next }')
    log "mtr: the proxy gets $(wc -w <<<"$MUX_USERS") users the tests log in as"
    # As under mysql-test-run: the datadir inside the vardir (tests copy files into it and
    # mysqltest only touches files below the vardir), secure_file_priv = the vardir.
    SERVER_DATA_SUBDIR=var/mysqld.1/data
    SECURE_FILE_PRIV="@DIR@/var"
    EXTRA_SERVER_CNF="log-output=TABLE,FILE
general-log
slow-query-log
log-queries-not-using-indexes
loose-des-key-file=$MTR_DIR/std_data/des_key_file"
    REPORT_NOTE="\`mariadb-test-run --extern host=127.0.0.1 --extern port=<target> --extern user=root --extern protocol=tcp --force --nowarnings --nocheck-testcases\`, MTR_TESTCASE_TIMEOUT $TEST_TIMEOUT s (HANG). Reason = mysqltest's error line or the first line of the result diff."
}

# What mysql-test-run's bootstrap adds to a new server: the mtr schema (mtr.add_suppression,
# check_testcase), the time zone test data, root from every local address.
suite_server_setup() {
    # What mtr's setup_vardir makes, which it skips for an existing vardir.
    mkdir -p "$SERVER_DIR/var/log" "$SERVER_DIR/var/run" "$SERVER_DIR/var/tmp"
    cp -r "$MTR_DIR/std_data" "$SERVER_DIR/var/std_data" && chmod -R u+w "$SERVER_DIR/var/std_data"
    {
        mtr_schema_sql
        echo "USE mysql;"
        cat /usr/share/mysql/mysql_test_data_timezone.sql
        echo "CREATE USER IF NOT EXISTS root@'::1'; GRANT ALL ON *.* TO root@'::1' WITH GRANT OPTION;"
    } | server_sql >"$SERVER_DIR/setup.log" 2>&1 || return 1
    # The system routines (mysql.*, sys.*, mtr.*), to put back after a test that broke them
    # (INSERT ... SELECT into mysql.proc is refused, so as a dump).
    timeout 60 mariadb-dump --no-defaults -uroot -h127.0.0.1 -P"$SERVER_PORT" --no-create-info \
        --skip-lock-tables --compact --skip-extended-insert mysql proc \
        | sed 's/^INSERT INTO `proc`/INSERT IGNORE INTO mysql.proc/' >"$SERVER_DIR/proc-backup.sql"
    server_sql -N -e "SELECT COUNT(*) FROM mysql.proc" >"$SERVER_DIR/proc-backup.count"
}

mtr_schema_sql() {
    echo "CREATE DATABASE IF NOT EXISTS mtr CHARSET=latin1;"
    sed -e 's/^delimiter ||;$/delimiter ||/' -e '/^[[:space:]]*--/d' "$MTR_DIR/include/mtr_warnings.sql"
    echo "delimiter ;"
    sed -e 's/^delimiter ||;$/delimiter ||/' -e '/^[[:space:]]*--/d' "$MTR_DIR/include/mtr_check.sql"
    echo "delimiter ;"
}

# Between two tests, on the server itself: drop what a test that failed half-way left behind
# (databases, users, roles), so that one failure does not fail the tests after it.
MTR_CLEANUP_SQL="
SET SESSION group_concat_max_len = 1000000;
SELECT CONCAT('DROP DATABASE \`', schema_name, '\`;') FROM information_schema.schemata
  WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys', 'mtr')
UNION ALL
SELECT CONCAT(IF(JSON_VALUE(priv, '\$.is_role') = 'true', 'DROP ROLE ', 'DROP USER '), QUOTE(user),
              IF(JSON_VALUE(priv, '\$.is_role') = 'true', '', CONCAT('@', QUOTE(host))), ';')
  FROM mysql.global_priv WHERE user NOT IN ('root', 'mariadb.sys', 'mysql')
UNION ALL SELECT 'CREATE DATABASE test CHARACTER SET latin1 COLLATE latin1_swedish_ci;'"

mtr_cleanup() { # the test that just ran
    { echo "SET SESSION sql_log_bin = 0;"; server_sql -N -e "$MTR_CLEANUP_SQL"; } 2>>"$TARGET_DIR/cleanup.log" \
        | server_sql >>"$TARGET_DIR/cleanup.log" 2>&1
    # sp-error empties mysql.proc and puts it back at its end: killed half-way (a HANG), it takes
    # mtr.add_suppression with it and every later test that calls it fails.
    local now
    now=$(server_sql -N -e "SELECT COUNT(*) FROM mysql.proc WHERE db IN ('mysql', 'sys', 'mtr')" 2>/dev/null)
    if [[ $now != "$(cat "$TARGET_DIR/proc-backup.count")" ]]; then
        { echo "DELETE FROM mysql.proc WHERE db IN ('mysql', 'sys', 'mtr');"; cat "$TARGET_DIR/proc-backup.sql"
          echo "FLUSH TABLES;"; } | server_sql -f >>"$TARGET_DIR/cleanup.log" 2>&1
        echo "- after main.$1 the system routines in mysql.proc (mysql.*, sys.*, mtr.add_suppression) were gone or changed; the runner put them back" >>"$TARGET_DIR/notes"
    fi
}

suite_run_target() { # target host port
    local target=$1 host=$2 port=$3 name rc log
    local vardir="$TARGET_DIR/var"
    : >"$RUN_DIR/$target.tsv"
    while read -r name; do
        mux_ensure_running
        log="$TARGET_DIR/logs/$name.log"
        # One mtr per test: a clean slate for each (see mtr_cleanup) and our own bound on top of mtr's.
        MTR_TESTCASE_TIMEOUT=$(awk -v s="$TEST_TIMEOUT" 'BEGIN {print s / 60}') \
        run_bounded $((TEST_TIMEOUT + 90)) "$log" bash -c 'cd "$0" && exec perl ./mariadb-test-run.pl "$@"' "$MTR_DIR" \
            --extern host="$host" --extern port="$port" --extern user=root --extern protocol=tcp \
            --extern socket="$TARGET_DIR/no-such.sock" \
            --vardir="$vardir" --tmpdir="$vardir/tmp" --force --max-test-fail=0 --retry=1 \
            --nowarnings --nocheck-testcases --max-save-core=0 --max-save-datadir=0 "main.$name"
        rc=$?
        cat "$log" >>"$TARGET_DIR/mtr.log"
        awk -F'\t' -v out="$RUN_DIR/$target.tsv" -f "$COMPAT_DIR/lib/mtr-parse.awk" "$log"
        if ! grep -q "^main\.$name	" "$RUN_DIR/$target.tsv"; then
            if ((rc == 124)); then record "$target" "main.$name" HANG "mtr killed after $((TEST_TIMEOUT + 90)) s"
            else record "$target" "main.$name" FAIL "no result line from mtr (exit $rc): $(grep -m1 -i 'error' "$log")"; fi
        fi
        mtr_cleanup "$name"
    done <"$RUN_DIR/tests.txt"
}
