# Joins <target>.tsv files (name, status, reason) into one Markdown table, in first-seen order.
# -v targets="direct mux-p1" -v only_diff=1: only rows whose status differs between targets,
# with each differing target's reason.
BEGIN { nt = split(targets, tl, " ") }
FNR == 1 { f = FILENAME; sub(/.*\//, "", f); sub(/\.tsv$/, "", f); cur = f }
{
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
    st[$1, cur] = $2; why[$1, cur] = $3
}
END {
    hdr = "| test |"; sep = "|---|"
    for (i = 1; i <= nt; i++) { hdr = hdr " " tl[i] " |"; sep = sep "---|" }
    if (only_diff) { hdr = hdr " reason (first target that differs from direct) |"; sep = sep "---|" }
    rows = 0
    for (k = 1; k <= n; k++) {
        name = order[k]; line = "| " name " |"; differ = 0; reason = ""
        base = ((name, tl[1]) in st) ? st[name, tl[1]] : "-"
        for (i = 1; i <= nt; i++) {
            s = ((name, tl[i]) in st) ? st[name, tl[i]] : "-"
            line = line " " s " |"
            if (s != base) { differ = 1; if (reason == "") reason = why[name, tl[i]] }
        }
        if (only_diff && !differ) continue
        if (only_diff) {
            if (reason == "") reason = why[name, tl[1]]
            gsub(/\|/, "\\|", reason); line = line " " reason " |"
        }
        if (rows++ == 0) { print hdr; print sep }
        print line
    }
    if (rows == 0) print "(none)"
}
