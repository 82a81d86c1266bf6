# compat/run.sh shell [--targets mux-p1]: starts a fresh server and (for a mux-p* target) mysqlmux
# in front of it, prints how to connect, and keeps both running until Ctrl-C or SHELL_SECONDS
# (default 3600). For reproducing one difference by hand.
SUITE_TITLE="shell"
suite_prepare() { :; }
suite_run_target() {
    local target=$1 host=$2 port=$3
    echo "server:   mariadb --no-defaults -uroot -h127.0.0.1 -P$SERVER_PORT"
    [[ $target == mux-* ]] && echo "mysqlmux: mariadb --no-defaults -uroot -h127.0.0.1 -P$MUX_PORT" \
        && echo "admin:    mariadb --no-defaults -uadmin -pcompat-admin -h127.0.0.1 -P$MUX_ADMIN_PORT"
    echo "ports: server=$SERVER_PORT target=$port" >"$RUN_DIR/ports"
    sleep "${SHELL_SECONDS:-3600}" &
    wait $!
    : >"$RUN_DIR/$target.tsv"
}
