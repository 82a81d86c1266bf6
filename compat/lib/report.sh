# write_report SUITE TITLE: compat/results/<suite>-<date>.md from $RUN_DIR/<target>.tsv.
# Sourced after common.sh.
write_report() {
    local suite=$1 title=$2 out t
    out="$COMPAT_DIR/results/$suite-$(date +%Y%m%d-%H%M).md"
    if [[ -n ${REPORT_NOTE:-} ]]; then echo "$REPORT_NOTE" >"$RUN_DIR/note"; else REPORT_NOTE=$(cat "$RUN_DIR/note" 2>/dev/null); fi
    local tsvs=()
    for t in $TARGETS; do [[ -f $RUN_DIR/$t.tsv ]] && tsvs+=("$RUN_DIR/$t.tsv"); done
    {
        echo "# $title"
        echo
        echo "Report $(date '+%Y-%m-%d %H:%M'); mysqlmux built from branch $(git -C "$REPO_DIR" rev-parse --abbrev-ref HEAD)" \
             "(last proxy code commit $(git -C "$REPO_DIR" log -1 --format=%h -- proxy-server protocol-codec admin-api pom.xml));" \
             "server $(/usr/sbin/mariadbd --version | sed 's/.*Ver //; s/ for.*//')."
        echo "Raw logs: \`${RUN_DIR#$REPO_DIR/}\` (not in git)."
        [[ -n ${REPORT_NOTE:-} ]] && { echo; echo "$REPORT_NOTE"; }
        echo
        echo "| target | tests | PASS | FAIL | HANG | SKIP | seconds |"
        echo "|---|---|---|---|---|---|---|"
        for t in $TARGETS; do
            [[ -f $RUN_DIR/$t.tsv ]] || continue
            awk -F'\t' -v t="$t" -v secs="$(cat "$RUN_DIR/$t/elapsed" 2>/dev/null)" \
                '{n[$2]++; all++} END {printf "| %s | %d | %d | %d | %d | %d | %s |\n", t, all, n["PASS"], n["FAIL"], n["HANG"], n["SKIP"], secs}' \
                "$RUN_DIR/$t.tsv"
        done
        for t in $TARGETS; do
            [[ -s $RUN_DIR/$t/notes ]] && { echo; echo "Notes for $t:"; cat "$RUN_DIR/$t/notes"; }
        done
        echo
        echo "## Differences (a test whose status is not the same on every target)"
        echo
        awk -F'\t' -v targets="$TARGETS" -f "$COMPAT_DIR/lib/table.awk" -v only_diff=1 "${tsvs[@]}"
        echo
        echo "## Every test"
        echo
        awk -F'\t' -v targets="$TARGETS" -f "$COMPAT_DIR/lib/table.awk" -v only_diff=0 "${tsvs[@]}"
    } >"$out"
    log "report: ${out#$REPO_DIR/}"
    echo "$out"
}
