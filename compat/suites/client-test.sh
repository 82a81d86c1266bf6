# mariadb-client-test: the C API regression tests (binary protocol, cursors, COM_STMT_FETCH,
# multi-statements, ...), one process per test case so one failure or hang does not stop the rest.
SUITE_TITLE="mariadb-client-test: direct vs mysqlmux"
CLIENT_TEST=/usr/bin/mariadb-client-test
TEST_TIMEOUT=${TEST_TIMEOUT:-30}

suite_prepare() {
    need_packages "$CLIENT_TEST:mariadb-test"
    # Same list, same order as the binary itself (it prints them with -T).
    "$CLIENT_TEST" -T 2>/dev/null | awk 'NF == 1 && $1 != "All"' >"$RUN_DIR/tests.txt"
    if [[ -n $ONLY ]]; then printf '%s\n' $ONLY >"$RUN_DIR/tests.txt"; fi
    log "client-test: $(wc -l <"$RUN_DIR/tests.txt") test cases, $TEST_TIMEOUT s each at most"
    REPORT_NOTE="Each case run alone: \`mariadb-client-test --testcase --getopt-ll-test=25600M -h 127.0.0.1 -P <port> -u root <case>\`, killed after $TEST_TIMEOUT s (HANG). Reason = last error line of its output."
    # The server options of main/mysql_client_test-master.opt, and sql_mode '' because a case run
    # alone does not inherit what the cases before it did to the shared session (run in one
    # process, as mysql-test-run does, test_logs, test_cuted_rows, ... pass only thanks to that).
    SECURE_FILE_PRIV=""
    EXTRA_SERVER_CNF="sql-mode=''
max-allowed-packet=32000000
proxy-protocol-networks=*
general-log
log-output=FILE,TABLE"
    # Users the cases create and then log in as; the proxy must know them too.
    MUX_USERS="u:password testbug: mysqltest_u1: test_grant:"
}

# Cases that read tables an earlier case leaves behind: that case runs first, in the same process.
declare -A CLIENT_TEST_PREREQ=(
    [client_store_result]=test_prepare_insert_update
    [client_use_result]=test_prepare_insert_update
    [test_cursors_with_union]=test_basic_cursors
    [test_cursors_with_procedure]=test_basic_cursors
)

suite_run_target() { # target host port
    local target=$1 host=$2 port=$3 name rc out vardir="$TARGET_DIR/vardir" reason
    mkdir -p "$vardir/tmp" "$vardir/log"
    : >"$RUN_DIR/$target.tsv"
    while read -r name; do
        mux_ensure_running
        # A case that dies leaves its tables behind (it drops client_test_db only on success).
        server_sql -e "DROP DATABASE IF EXISTS client_test_db" >/dev/null 2>&1
        out="$TARGET_DIR/logs/$name.log"
        MYSQL_TMP_DIR="$vardir/tmp" run_bounded "$TEST_TIMEOUT" "$out" \
            "$CLIENT_TEST" --no-defaults --testcase --getopt-ll-test=25600M --vardir="$vardir" \
            -h "$host" -P "$port" -u root --password= ${CLIENT_TEST_PREREQ[$name]:-} "$name"
        rc=$?
        # The server's error ("[MySQL-version][code] text") and the check that failed.
        reason=$(grep -E '^ *\[MySQL-[^]]*\]\[|check failed|Assertion|Error|error:' "$out" \
                 | grep -v 'MySQL error 0: *$' | sed 's/^ *\[MySQL-[^]]*\]/ /' | tail -3 | tr '\n' ' ')
        if ((rc == 0)); then record "$target" "$name" PASS ""
        elif ((rc == 124)); then record "$target" "$name" HANG "killed after $TEST_TIMEOUT s; ${reason:-$(tail -1 "$out")}"
        else record "$target" "$name" FAIL "exit $rc: ${reason:-$(tail -2 "$out" | tr '\n' ' ')}"
        fi
    done <"$RUN_DIR/tests.txt"
}
