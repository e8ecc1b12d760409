#!/usr/bin/env bash
# Lists functions (func, init, deinit, subscript) in Sources/ longer than the limit (default 60 lines,
# declaration to closing brace). A function may stay longer when a comment in the doc-comment block
# right above it says why, containing the words "kept whole". Exits 1 when any offender is found.
# Usage: scripts/long-functions.sh [limit] [directory...]
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60}
shift || true
dirs=("${@:-Sources}")
find "${dirs[@]}" -name '*.swift' -print0 | sort -z | xargs -0 awk -v limit="$limit" '
function strip(line,    out) {
    # Drop string literal contents and line comments so their braces do not count.
    gsub(/\\"/, "", line)
    gsub(/"[^"]*"/, "\"\"", line)
    sub(/\/\/.*$/, "", line)
    return line
}
FNR == 1 { depth = 0; inFunc = 0; inMulti = 0; reason = 0 }
{
    raw = $0
    if (inMulti) { if (raw ~ /"""/) inMulti = 0; next }
    if (raw ~ /"""/) {
        n = gsub(/"""/, "&", raw)
        if (n % 2 == 1) { inMulti = 1 }
        raw = ""
    }
    if (!inFunc) {
        if ($0 ~ /^[ \t]*\/\//) { if ($0 ~ /kept whole/) reason = 1; next }
        if ($0 ~ /^[ \t]*((@[A-Za-z]+(\([^)]*\))?|public|private|fileprivate|internal|package|static|class|final|override|mutating|nonmutating|nonisolated|convenience|required|override|dynamic|isolated|consuming|borrowing)[ \t]+)*(func[ \t]|init[(<?!]|deinit|subscript[(<])/) {
            inFunc = 1; start = FNR; startDepth = depth; opened = 0; name = $0; keep = reason
            sub(/^[ \t]+/, "", name); name = substr(name, 1, 80)
        } else if ($0 !~ /^[ \t]*@/) { reason = 0 }
    }
    line = strip(raw)
    o = gsub(/\{/, "{", line); c = gsub(/\}/, "}", line)
    depth += o - c
    if (inFunc) {
        if (depth > startDepth) opened = 1
        if (!opened && FNR == start && o > 0 && line ~ /\}[ \t]*$/) { inFunc = 0; reason = 0; next }
        if (opened && depth <= startDepth) {
            len = FNR - start + 1
            if (len > limit && !keep) { printf "%s:%d: %d lines: %s\n", FILENAME, start, len, name; bad++ }
            inFunc = 0; reason = 0
        } else if (!opened && line ~ /[^ \t]/ && FNR > start && $0 !~ /[,(]$/ && $0 ~ /^[ \t]*(\}|$)/) { inFunc = 0 }
    }
}
END { exit bad > 0 ? 1 : 0 }
'
