# Shared by every suite: packages, a throw-away MariaDB server, mysqlmux in front of it,
# bounded waits and the per-test result files. Sourced by compat/run.sh; not run on its own.
#
# Layout of one run (RUN_DIR, under compat/results/raw/, ignored by git):
#   template/            datadir made once by mariadb-install-db, copied for every target
#   <target>/data        that target's datadir (a fresh server per target: a failed test's
#                        leftovers must not decide the next target's result)
#   <target>/mariadbd.log, mysqlmux.log, mysqlmux.conf
#   <target>.tsv         one line per test: name <TAB> PASS|FAIL|HANG|SKIP <TAB> short reason
#   <target>/logs/       per-test output of the suite
# Targets: direct (the server itself), mux-p1 / mux-p4 (through mysqlmux, pool.max_size 1 / 4).

COMPAT_DIR=${COMPAT_DIR:?}
REPO_DIR=$(cd "$COMPAT_DIR/.." && pwd)
MUX_JAR="$REPO_DIR/proxy-server/target/mysqlmux.jar"
# Ports the lead's own server and proxy use; never take them.
RESERVED_PORTS=" 3306 3307 6032 6033 9033 "

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- packages
# need_packages cmd:package ...  installs (apt-get) the packages whose command is missing.
need_packages() {
    local missing=() pair cmd pkg
    for pair in "$@"; do
        cmd=${pair%%:*}; pkg=${pair#*:}
        if [[ $cmd == /* ]]; then [[ -e $cmd ]] || missing+=("$pkg")
        else command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg"); fi
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing Debian packages: ${missing[*]}"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

need_base() {
    need_packages /usr/sbin/mariadbd:mariadb-server mariadb:mariadb-client mariadb-admin:mariadb-client \
        mariadb-install-db:mariadb-server timeout:coreutils setsid:util-linux ss:iproute2 \
        java:openjdk-17-jdk-headless mvn:maven perl:perl
}

# ---------------------------------------------------------------- ports
port_free() {
    local p=$1
    [[ $RESERVED_PORTS == *" $p "* ]] && return 1
    ! ss -ltnH "sport = :$p" 2>/dev/null | grep -q .
}
# pick_port VAR LOW HIGH: sets VAR to the first free port in the range not yet handed out by this
# run (the process that will bind it may not have started yet).
pick_port() {
    local p
    for ((p = $2; p <= $3; p++)); do
        if port_free "$p" && [[ " ${TAKEN_PORTS:-} " != *" $p "* ]]; then
            TAKEN_PORTS="${TAKEN_PORTS:-} $p"; printf -v "$1" '%s' "$p"; return 0
        fi
    done
    die "no free port in $2-$3"
}

# wait_until SECONDS CMD...: polls CMD every 0.5 s; fails after SECONDS.
wait_until() {
    local limit=$1 i; shift
    for ((i = 0; i < limit * 2; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}

# ---------------------------------------------------------------- MariaDB
# Server options: the ones mysql-test-run gives its own servers (include/default_mysqld.cnf)
# that change results, so that tests pass directly as they would under mysql-test-run.
server_cnf() { # dir port
    local sfp=${SECURE_FILE_PRIV:-}
    cat <<CNF
[mysqld]
user=root
datadir=$1/${SERVER_DATA_SUBDIR:-data}
port=$2
bind-address=127.0.0.1
socket=$1/mariadbd.sock
pid-file=$1/mariadbd.pid
log-error=$1/mariadbd.log
max-connections=300
character-set-server=latin1
collation-server=latin1_swedish_ci
local-infile
secure-file-priv=${sfp//@DIR@/$1}
log-bin-trust-function-creators=1
key_buffer_size=1M
sort_buffer_size=256K
max_heap_table_size=1M
default-storage-engine=${SERVER_ENGINE:-myisam}
use_stat_tables=preferably
histogram_type=json_hb
innodb_buffer_pool_size=64M
innodb_log_file_size=10M
connect-timeout=60
plugin-maturity=unknown
disable-getopt-prefix-matching
open-files-limit=1024
${EXTRA_SERVER_CNF:-}
CNF
}

# server_template: one mariadb-install-db per run, copied per target.
server_template() {
    [[ -d $RUN_DIR/template/mysql ]] && return 0
    mkdir -p "$RUN_DIR/template"
    log "mariadb-install-db into $RUN_DIR/template"
    timeout 180 mariadb-install-db --no-defaults --user=root --datadir="$RUN_DIR/template" \
        --auth-root-authentication-method=normal --skip-test-db >"$RUN_DIR/install-db.log" 2>&1 \
        || die "mariadb-install-db failed, see $RUN_DIR/install-db.log"
}

# server_start TARGET: fresh datadir, start, wait for it, run the suite's setup SQL (SERVER_SETUP_SQL).
server_start() {
    local target=$1 dir="$RUN_DIR/$1"
    server_template
    rm -rf "$dir"; mkdir -p "$dir/logs" "$(dirname "$dir/${SERVER_DATA_SUBDIR:-data}")"
    cp -a "$RUN_DIR/template" "$dir/${SERVER_DATA_SUBDIR:-data}"
    pick_port SERVER_PORT 3500 3599
    SERVER_DIR=$dir
    server_cnf "$dir" "$SERVER_PORT" >"$dir/my.cnf"
    log "[$target] mariadbd on 127.0.0.1:$SERVER_PORT"
    setsid /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" </dev/null >>"$dir/mariadbd.log" 2>&1 &
    SERVER_PID=$!
    if ! wait_until 60 bash -c "kill -0 $SERVER_PID || exit 0; mariadb-admin --no-defaults -uroot -h127.0.0.1 -P$SERVER_PORT ping" \
        || ! kill -0 "$SERVER_PID" 2>/dev/null \
        || ! mariadb-admin --no-defaults -uroot -h127.0.0.1 -P"$SERVER_PORT" ping >/dev/null 2>&1; then
        tail -20 "$dir/mariadbd.log" >&2; die "mariadbd did not start"
    fi
    server_sql <<SQL || die "server setup SQL failed"
DELETE FROM mysql.global_priv WHERE user = '';
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS test CHARACTER SET latin1 COLLATE latin1_swedish_ci;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
GRANT PROXY ON ''@'%' TO 'root'@'127.0.0.1' WITH GRANT OPTION;
${SERVER_SETUP_SQL:-}
SQL
    if declare -F suite_server_setup >/dev/null; then suite_server_setup || die "suite server setup failed"; fi
}

# server_sql: runs stdin as root on the current target's server (not through the proxy).
server_sql() { timeout 120 mariadb --no-defaults -uroot -h127.0.0.1 -P"$SERVER_PORT" --batch "$@"; }

server_stop() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    timeout 60 mariadb-admin --no-defaults -uroot -h127.0.0.1 -P"$SERVER_PORT" shutdown >/dev/null 2>&1 || true
    wait_until 30 bash -c "! kill -0 $SERVER_PID" || kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# ---------------------------------------------------------------- mysqlmux
build_mux() {
    [[ -n ${NO_BUILD:-} && -f $MUX_JAR ]] && return 0
    log "building mysqlmux"
    (cd "$REPO_DIR" && timeout 900 mvn -B -q -DskipTests package -pl proxy-server -am) >"$RUN_DIR/build.log" 2>&1 \
        || (cd "$REPO_DIR" && timeout 900 mvn -o -B -q -DskipTests package -pl proxy-server -am) >>"$RUN_DIR/build.log" 2>&1 \
        || die "build failed, see $RUN_DIR/build.log"
}

# mux_start TARGET POOLSIZE: mysqlmux in front of the current server, with every user in MUX_USERS
# ("name:password name2:password2"; root with no password always).
mux_start() {
    local target=$1 pool=$2 dir="$RUN_DIR/$1" u name pass
    pick_port MUX_PORT 6500 6599
    pick_port MUX_ADMIN_PORT 6500 6599
    {
        echo "mysqlmux {"
        echo "  listen = \"127.0.0.1:$MUX_PORT\""
        echo "  backend { address = \"127.0.0.1:$SERVER_PORT\" }"
        echo "  pool { max_size = $pool, queue_timeout = 30s }"
        echo "  admin { listen = \"127.0.0.1:$MUX_ADMIN_PORT\", password = \"compat-admin\" }"
        echo "  http { listen = \"\" }"
        echo "  users {"
        echo "    root { password = \"\" }"
        for u in ${MUX_USERS:-}; do
            name=${u%%:*}; pass=${u#*:}
            echo "    \"$name\" { password = \"$pass\" }"
        done
        echo "  }"
        echo "}"
    } >"$dir/mysqlmux.conf"
    # mysqlmux is ready only once one configured user (whichever its map yields first) has logged in
    # to the server, and retries that same user for ever. Users the suites create later must
    # therefore exist while it starts; they are dropped again once it is ready.
    local temp_users=""
    for u in ${MUX_USERS:-}; do
        name=${u%%:*}; pass=${u#*:}
        temp_users+="CREATE USER IF NOT EXISTS '$name'@'%' IDENTIFIED BY '$pass';"
    done
    [[ -n $temp_users ]] && { server_sql -e "$temp_users" || die "creating the proxy's users failed"; }
    log "[$target] mysqlmux on 127.0.0.1:$MUX_PORT (pool.max_size=$pool, admin $MUX_ADMIN_PORT)"
    mux_launch "$dir"
    if ! wait_until 60 bash -c "grep -q 'mysqlmux ready' '$dir/mysqlmux.log' || ! kill -0 $MUX_PID"; then
        tail -30 "$dir/mysqlmux.log" >&2; die "mysqlmux did not start"
    fi
    if ! kill -0 "$MUX_PID" 2>/dev/null; then
        tail -30 "$dir/mysqlmux.log" >&2; die "mysqlmux did not start"
    fi
    if [[ -n $temp_users ]]; then
        server_sql -e "$(for u in ${MUX_USERS:-}; do echo "DROP USER IF EXISTS '${u%%:*}'@'%';"; done)" \
            || die "dropping the proxy's users failed"
    fi
}

mux_launch() { # dir
    # MYSQLMUX_* variables would override the file.
    env $(env | sed -n 's/^\(MYSQLMUX_[A-Z_]*\)=.*/-u \1/p') \
        setsid java -Xmx512m -jar "$MUX_JAR" --config "$1/mysqlmux.conf" </dev/null >>"$1/mysqlmux.log" 2>&1 &
    MUX_PID=$!
}

# mux_ensure_running: suites call it between tests. The machine is shared: if something else
# ended mysqlmux, say so in the target's notes (they go into the report) and start it again on
# the same ports, instead of recording every later test as a failure.
mux_ensure_running() {
    [[ -n ${MUX_PID:-} ]] || return 0
    kill -0 "$MUX_PID" 2>/dev/null && return 0
    wait "$MUX_PID" 2>/dev/null
    local msg="mysqlmux (pid $MUX_PID) ended during the run at $(date +%H:%M:%S), not by the runner: $(tail -1 "$TARGET_DIR/mysqlmux.log"); started again"
    log "[$CURRENT_TARGET] $msg"
    echo "- $msg" >>"$TARGET_DIR/notes"
    local before
    before=$(grep -c 'mysqlmux ready' "$TARGET_DIR/mysqlmux.log")
    mux_launch "$TARGET_DIR"
    wait_until 60 bash -c "(( \$(grep -c 'mysqlmux ready' '$TARGET_DIR/mysqlmux.log') > $before ))" \
        || log "[$CURRENT_TARGET] mysqlmux did not get ready again"
}

mux_stop() {
    [[ -n ${MUX_PID:-} ]] || return 0
    kill "$MUX_PID" 2>/dev/null || true
    wait_until 40 bash -c "! kill -0 $MUX_PID" || kill -9 "$MUX_PID" 2>/dev/null || true
    wait "$MUX_PID" 2>/dev/null || true
    MUX_PID=
}

# mux_admin SQL: a statement on the proxy's admin port (diagnostics after a hang).
mux_admin() {
    timeout 10 mariadb --no-defaults -uadmin -pcompat-admin -h127.0.0.1 -P"$MUX_ADMIN_PORT" --table -e "$1" 2>&1
}

cleanup_all() {
    mux_stop
    server_stop
}

# ---------------------------------------------------------------- targets
# run_targets SUITE_FUNCTION: for each target in TARGETS, a fresh server (+ proxy), then
# SUITE_FUNCTION TARGET HOST PORT, which writes $RUN_DIR/TARGET.tsv.
run_targets() {
    local fn=$1 target pool
    for target in $TARGETS; do
        server_start "$target"
        case $target in
            direct) TARGET_PORT=$SERVER_PORT ;;
            mux-p*) pool=${target#mux-p}; mux_start "$target" "$pool"; TARGET_PORT=$MUX_PORT ;;
            *) die "unknown target $target" ;;
        esac
        TARGET_DIR="$RUN_DIR/$target"
        CURRENT_TARGET=$target
        local started=$SECONDS
        "$fn" "$target" 127.0.0.1 "$TARGET_PORT"
        echo "$((SECONDS - started))" >"$TARGET_DIR/elapsed"
        if [[ $target == mux-* ]]; then
            mux_admin "SHOW POOLS" >"$TARGET_DIR/show-pools.txt"
            kill -0 "$MUX_PID" 2>/dev/null \
                || echo "- mysqlmux was not running at the end of the run (ended by something else, or crashed: see mysqlmux.log)" >>"$TARGET_DIR/notes"
        fi
        cleanup_all
        log "[$target] done in $((SECONDS - started)) s: $(summary_counts "$RUN_DIR/$target.tsv")"
    done
}

summary_counts() { # tsv
    awk -F'\t' '{n[$2]++; t++} END {printf "%d tests", t; for (s in n) printf ", %s %d", s, n[s]; print ""}' "$1"
}

# record TARGET NAME STATUS REASON
record() {
    local reason=${4//$'\t'/ }
    reason=${reason//$'\n'/ }
    printf '%s\t%s\t%s\n' "$2" "$3" "${reason:0:300}" >>"$RUN_DIR/$1.tsv"
}

# run_bounded SECONDS LOGFILE CMD...: runs CMD in its own process group; kills the whole group
# after SECONDS. Returns the command's status, or 124 on timeout.
run_bounded() {
    local limit=$1 out=$2; shift 2
    setsid "$@" >"$out" 2>&1 </dev/null &
    local pid=$! i rc
    for ((i = 0; i < limit * 10; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; return $?; fi
        sleep 0.1
    done
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 124
}
