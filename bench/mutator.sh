#!/usr/bin/env bash
# Mutants per second on one core, in a release build; then `mutate --count 5` on a generated corpus
# of --sessions one-step sessions (10,000 per gzip member), with its wall time and peak RSS.
#
#   bench/mutator.sh [--corpus corpora/demo/baseline.corpus] [--seconds 3] [--sessions 1000000]
#                    [--skip-build] [--binary PATH]
#
# Both wall-clock and thread-CPU rates are printed: on a busy machine the CPU rate is the one that
# measures the mutator rather than the scheduler. Bar (issue #14): `mutate --count 5` on 1M sessions
# in under 2 s and 100 MB. --sessions 0 skips the large corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

CORPUS="$ROOT/corpora/demo/baseline.corpus"
SECONDS_PER_MODE=3
SESSIONS=1000000
BUILD=1
BINARY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --corpus) CORPUS="$2"; shift 2 ;;
        --seconds) SECONDS_PER_MODE="$2"; shift 2 ;;
        --sessions) SESSIONS="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        --binary) BINARY="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done
require_tools python3 /usr/bin/time
use_stampede "$BINARY"
[ -f "$CORPUS" ] || { echo "no corpus at $CORPUS" >&2; exit 1; }
make_prefix stampede-mutator

echo "corpus: $CORPUS"
"$STAMPEDE" mutate --corpus "$CORPUS" --bench "$SECONDS_PER_MODE"

[ "$SESSIONS" -gt 0 ] || exit 0
big="$PREFIX/big.corpus"
python3 - "$big" "$SESSIONS" <<'PY'
import gzip, json, sys
path, count = sys.argv[1], int(sys.argv[2])
header = {"format": "stampede-corpus", "version": 1, "created": "2026-11-30T00:00:00Z", "tool": "stampede",
          "base_url": "http://127.0.0.1:1"}
step = {"request": {"method": "POST", "path": "/api/items",
                    "headers": [{"name": "Content-Type", "value": "application/json"}],
                    "body": {"text": '{"n":1}', "content_type": "application/json"}}}
with open(path, "wb") as out:
    out.write(gzip.compress((json.dumps(header) + "\n").encode()))
    for start in range(0, count, 10_000):
        lines = "".join(json.dumps({"id": "s%07d" % i, "steps": [step]}) + "\n" for i in range(start, min(count, start + 10_000)))
        out.write(gzip.compress(lines.encode(), compresslevel=6))
PY
size=$(stat -c %s "$big")
/usr/bin/time -f "%e %M" -o "$PREFIX/time" "$STAMPEDE" mutate --corpus "$big" --count 5 --seed 7 > "$PREFIX/mutants"
read -r wall rss_kb < "$PREFIX/time"
echo "mutate --count 5 on $SESSIONS sessions ($((size / 1024)) KiB compressed): $wall s wall, max RSS $((rss_kb / 1024)) MB," \
    "$(wc -l < "$PREFIX/mutants") mutants (bar: < 2 s, < 100 MB)"
