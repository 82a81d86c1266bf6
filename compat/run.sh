#!/usr/bin/env bash
# Compatibility runner: each third-party suite directly against a fresh MariaDB, then through
# mysqlmux (pool.max_size 1, then 4), one pass/fail line per test, and the differences, in
# compat/results/<suite>-<date>.md. See compat/README.md.
#
#   compat/run.sh mtr | client-test | go | jdbc-mysql | jdbc-mariadb | all | shell [--targets "direct mux-p1 mux-p4"]
#   compat/run.sh client-test --targets "direct mux-p1" --only "test_cursors test_fetch_seek"
#   compat/run.sh report compat/results/raw/<suite>-<time>    (write the .md again from a raw run)
#
# Environment: TARGETS (same as --targets), ONLY (same as --only: a subset of test names),
# NO_BUILD=1 (use the jar already in proxy-server/target), TEST_TIMEOUT (seconds per test).
set -uo pipefail
export LC_ALL=C
COMPAT_DIR=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# All in one function: bash reads a script as it runs it, and a run takes an hour; editing this
# file meanwhile must not change what the running instance does next.
main() {
    source "$COMPAT_DIR/lib/common.sh"
    source "$COMPAT_DIR/lib/report.sh"

    (($# >= 1)) || usage
    SUITE=$1; shift
    if [[ $SUITE == report ]]; then
        RUN_DIR=$(cd "$1" && pwd); SUITE=$(basename "$RUN_DIR" | sed 's/-[0-9]*-[0-9]*$//')
        TARGETS=$(for t in direct mux-p1 mux-p4; do [[ -f $RUN_DIR/$t.tsv ]] && echo "$t"; done | tr '\n' ' ')
        source "$COMPAT_DIR/suites/$SUITE.sh"
        write_report "$SUITE" "$SUITE_TITLE"
        return
    fi
    TARGETS=${TARGETS:-direct mux-p1 mux-p4}
    ONLY=${ONLY:-}
    while (($#)); do
        case $1 in
            --targets) TARGETS=$2; shift 2 ;;
            --only) ONLY=$2; shift 2 ;;
            -h|--help) usage ;;
            *) die "unknown argument $1" ;;
        esac
    done

    if [[ $SUITE == all ]]; then
        rc=0
        for s in mtr client-test go jdbc-mysql jdbc-mariadb; do
            TARGETS=$TARGETS ONLY= "$0" "$s" || rc=1
            NO_BUILD=1
            export NO_BUILD
        done
        exit $rc
    fi
    [[ -f $COMPAT_DIR/suites/$SUITE.sh ]] || usage

    RUN_DIR="$COMPAT_DIR/results/raw/$SUITE-$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$RUN_DIR"
    trap 'cleanup_all' EXIT
    trap 'log "interrupted"; exit 130' INT TERM

    need_base
    source "$COMPAT_DIR/suites/$SUITE.sh"
    suite_prepare
    [[ $TARGETS == *mux* ]] && build_mux
    run_targets suite_run_target
    [[ $SUITE == shell ]] || write_report "$SUITE" "$SUITE_TITLE"
}
main "$@"
exit
