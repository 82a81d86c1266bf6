# Shared by suites/jdbc-mysql.sh and suites/jdbc-mariadb.sh: compat/jdbc/DriverCheck.java run
# with the real driver jar, one JVM per check, killed after TEST_TIMEOUT seconds (HANG). Directly
# a check passes when it runs to its end; through mysqlmux only when its transcript is the same
# as the direct one, line for line.
TEST_TIMEOUT=${TEST_TIMEOUT:-60}

jdbc_prepare() { # groupId artifactId version
    need_packages javac:openjdk-17-jdk-headless mvn:maven
    local jar="$HOME/.m2/repository/${1//.//}/$2/$3/$2-$3.jar"
    if [[ ! -f $jar ]]; then
        log "fetching $1:$2:$3 from Maven Central"
        timeout 300 mvn -B -q dependency:get -Dtransitive=false -Dartifact="$1:$2:$3" >"$RUN_DIR/mvn-get.log" 2>&1 \
            || die "cannot fetch $1:$2:$3, see $RUN_DIR/mvn-get.log"
    fi
    JDBC_JAR=$jar
    mkdir -p "$RUN_DIR/classes"
    javac -encoding UTF-8 -d "$RUN_DIR/classes" "$COMPAT_DIR/jdbc/DriverCheck.java" >"$RUN_DIR/javac.log" 2>&1 \
        || die "javac failed, see $RUN_DIR/javac.log"
    if [[ -n $ONLY ]]; then printf '%s\n' $ONLY; else
        java -cp "$JDBC_JAR:$RUN_DIR/classes" DriverCheck "$JDBC_DRIVER" 127.0.0.1 1 list; fi >"$RUN_DIR/tests.txt"
    log "$SUITE: $(wc -l <"$RUN_DIR/tests.txt") checks with $(basename "$JDBC_JAR"), $TEST_TIMEOUT s each at most"
    SECURE_FILE_PRIV=""
    SERVER_ENGINE=InnoDB
    REPORT_NOTE="Driver $(basename "$JDBC_JAR" .jar); \`java DriverCheck $JDBC_DRIVER 127.0.0.1 <port> <check>\` (compat/jdbc/DriverCheck.java), one JVM per check, killed after $TEST_TIMEOUT s (HANG). Through mysqlmux a check passes only if its transcript equals the direct one; the reason shows the first line that differs (direct => here). Transcripts: raw/<run>/<target>/logs/<check>.out."
}

suite_run_target() { # target host port
    local target=$1 host=$2 port=$3 name rc out ref first
    : >"$RUN_DIR/$target.tsv"
    while read -r name; do
        mux_ensure_running
        out="$TARGET_DIR/logs/$name.out"
        run_bounded "$TEST_TIMEOUT" "$out" java -Xmx256m -cp "$JDBC_JAR:$RUN_DIR/classes" DriverCheck "$JDBC_DRIVER" "$host" "$port" "$name"
        rc=$?
        ref="$RUN_DIR/direct/logs/$name.out"
        if ((rc == 124)); then record "$target" "$name" HANG "killed after $TEST_TIMEOUT s; $(tail -1 "$out")"
        elif [[ $target != direct && -f $ref ]] && ! cmp -s "$ref" "$out"; then
            first=$(diff "$ref" "$out" | awk '/^</ && !a {a = substr($0, 3, 140)} /^>/ && !b {b = substr($0, 3, 140)} END {print a " => " b}')
            record "$target" "$name" FAIL "differs from direct: $first"
        elif ((rc != 0)); then record "$target" "$name" FAIL "exit $rc: $(grep -m1 UNEXPECTED "$out" || tail -1 "$out")"
        else record "$target" "$name" PASS ""
        fi
    done <"$RUN_DIR/tests.txt"
}
