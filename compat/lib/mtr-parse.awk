# mysql-test-run output -> "test <TAB> PASS|FAIL|HANG|SKIP <TAB> reason" lines into file `out`.
# A result line: "main.signal    [ pass ]   1051" or "... [ fail ]  timeout after 60 seconds".
# For a failure the reason is mysqltest's own error line, or else the first removed (-, expected)
# and added (+, got) lines of the result diff.
function flush() {
    if (cur == "") return
    if ((why == "" || why ~ /Result content mismatch|Result length mismatch/) && (minus != "" || plus != ""))
        why = "expected: " minus " / got: " plus
    if (why == "" && st != "PASS") why = "see mtr.log"
    gsub(/\t/, " ", why); why = substr(why, 1, 300)
    printf "%s\t%s\t%s\n", cur, st, why >> out
    cur = ""; infail = 0
}
/^[a-z_0-9\/]+\.[^ ]+ +(w[0-9]+ )?\[ [a-z]+ \]/ {
    flush()
    cur = $0; sub(/ .*/, "", cur)
    r = $0; sub(/^[^[]*\[ /, "", r); res = r; sub(/ \].*/, "", res); rest = r; sub(/^[a-z]+ \] */, "", rest)
    why = ""; minus = ""; plus = ""
    if (res == "pass") { st = "PASS"; flush(); next }
    if (res == "skipped" || res == "disabled") { st = "SKIP"; why = rest; flush(); next }
    st = "FAIL"; if (rest ~ /timeout/) { st = "HANG"; why = rest }
    infail = 1; next
}
infail && /^mysqltest: / && (why == "" || why ~ /mismatch/) { why = $0 }
infail && /^-/ && !/^---/ && minus == "" { minus = substr($0, 2, 140) }
infail && /^\+/ && !/^\+\+\+/ && plus == "" { plus = substr($0, 2, 140) }
infail && (/^ - saving/ || /^-{30,}$/) { flush() }
END { flush() }
