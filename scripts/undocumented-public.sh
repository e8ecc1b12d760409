#!/usr/bin/env bash
# Lists `public` declarations without a doc comment (`///` or `*/` on the line above, attributes
# skipped) in the given Sources/ modules (default: every module). Exits 1 when any is found.
# Usage: scripts/undocumented-public.sh [Module...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then dirs=(Sources); else dirs=(); for m in "$@"; do dirs+=("Sources/$m"); done; fi
find "${dirs[@]}" -name '*.swift' -print0 | sort -z | xargs -0 awk '
FNR == 1 { prev = ""; pending = "" }
{
    line = $0
    if (line ~ /^[ \t]*@[A-Za-z]+(\([^)]*\))?[ \t]*$/) { next }  # attribute on its own line
    if (line ~ /^[ \t]*(@[A-Za-z]+(\([^)]*\))?[ \t]+)*public[ \t]/ && line !~ /^[ \t]*public[ \t]+import[ \t]/) {
        if (prev !~ /^[ \t]*\/\/\// && prev !~ /\*\/[ \t]*$/) {
            sub(/^[ \t]+/, "", line); printf "%s:%d: %s\n", FILENAME, FNR, substr(line, 1, 110); bad++
        }
    }
    prev = $0
}
END { exit bad > 0 ? 1 : 0 }
'
