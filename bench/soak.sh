#!/usr/bin/env bash
# Soak: a long replay against the demo target at 1,000 connections, sampling the replayer's
# resident memory and open descriptors every --interval seconds. Reports the samples and whether
# both stay flat: no sample after the warm-up (default: the first minute) more than 10% above
# the highest sample of the warm-up (issue #14).
#
#   bench/soak.sh [--duration 600] [--connections 1000] [--interval 10] [--warmup 60]
#                 [--mode both] [--port 18095] [--skip-build] [--binary PATH]
#
# --mode both runs user and monkey clients at the same time (half each). Loopback only; bounded
# in time; stops exactly the demo server and replay it started, by PID.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

DURATION=600
CONNECTIONS=1000
INTERVAL=10
WARMUP=60
MODE=both
PORT=18095
BUILD=1
BINARY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --interval) INTERVAL="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --mode) MODE="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        --binary) BINARY="$2"; BUILD=0; shift 2 ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done
[ "$WARMUP" -lt "$DURATION" ] || { echo "--warmup must be shorter than --duration" >&2; exit 2; }

require_tools curl awk
use_stampede "$BINARY"

PREFIX="$(mktemp -d /tmp/stampede-soak.XXXXXX)"
SERVER_PID=""
REPLAY_PID=""
stop_all() {
    stop_pid "$REPLAY_PID"
    stop_pid "$SERVER_PID"
    rm -rf "$PREFIX"
}
trap stop_all EXIT INT TERM

NEED_FDS=$((CONNECTIONS * 2 + 256))
ulimit -n "$NEED_FDS" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
URL="http://127.0.0.1:$PORT"
"$STAMPEDE" serve-demo --port "$PORT" --no-defects >"$PREFIX/server.log" 2>&1 &
SERVER_PID=$!
wait_for_url "$URL/api/v1/health/live" "the demo server" "$PREFIX/server.log"
mkdir -p "$PREFIX/corpus" && cp "$ROOT/corpora/demo/baseline.corpus" "$PREFIX/corpus/"

"$STAMPEDE" replay --corpus "$PREFIX/corpus" --base-url "$URL" --mode "$MODE" --clients "$CONNECTIONS" \
    --concurrency "$CONNECTIONS" --duration "$DURATION" --output "$PREFIX/out" --quiet --no-fail --seed 14 \
    >"$PREFIX/replay.log" 2>&1 &
REPLAY_PID=$!

echo "soak: $MODE mode, $CONNECTIONS clients/connections, ${DURATION}s against the demo target at $URL; sample every ${INTERVAL}s, warm-up ${WARMUP}s"
printf "%8s %10s %10s %10s %8s\n" "t (s)" "RSS (MB)" "anon (MB)" "file (MB)" "fds"
START=$(date +%s)
SAMPLES="$PREFIX/samples"
: >"$SAMPLES"
while kill -0 "$REPLAY_PID" 2>/dev/null; do
    sleep "$INTERVAL"
    kill -0 "$REPLAY_PID" 2>/dev/null || break
    T=$(( $(date +%s) - START ))
    read -r RSS_KB ANON_KB FILE_KB < <(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
        END { print r + 0, a + 0, f + 0 }' "/proc/$REPLAY_PID/status" 2>/dev/null || echo "0 0 0")
    FDS=$(ls "/proc/$REPLAY_PID/fd" 2>/dev/null | wc -l)
    [ -n "$RSS_KB" ] && [ "$RSS_KB" -gt 0 ] || continue
    echo "$T $RSS_KB $FDS $ANON_KB $FILE_KB" >>"$SAMPLES"
    printf "%8d %10.1f %10.1f %10.1f %8d\n" "$T" "$(awk -v k="$RSS_KB" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$ANON_KB" 'BEGIN { print k / 1024 }')" "$(awk -v k="$FILE_KB" 'BEGIN { print k / 1024 }')" "$FDS"
done
wait "$REPLAY_PID" && STATUS=0 || STATUS=$?
REPLAY_PID=""
echo "replay exit status: $STATUS; $(grep -E '^requests ' "$PREFIX/replay.log" | head -1)"
# What the run kept: findings (capped at 1,000 signatures, each with its example) and failure classes.
python3 - "$PREFIX/out" <<'PY' || true
import glob, json, sys
r = json.load(open(sorted(glob.glob(sys.argv[1] + "/report_*.json"))[-1]))
classes = {k: v for k, v in r.get("failure_classes", {}).items() if v}
print("report: %d requests, %d findings, failure classes %s" % (r["total_requests"], len(r.get("findings", [])), classes))
PY

# Flat: no sample after the warm-up more than 10% above the highest sample of the warm-up, the working
# set the run reached in its first minute. Descriptors swing with the connections the monkeys' bad
# requests get closed (600–1,000 at 1,000 clients), so one sample is no baseline; the first sample
# after the warm-up is printed too.
flat() {  # column name
    awk -v col="$1" -v warm="$WARMUP" '
        $1 < warm { if ($col > warmMax) warmMax = $col; next }
        { if (first == "") first = $col; if ($col > max) max = $col; n++ }
        END {
            if (n < 2 || warmMax == "") { print "n/a (fewer than 2 samples after the warm-up, or none in it)"; exit }
            growth = (max - warmMax) * 100 / warmMax
            printf "%s (highest in the warm-up %d, first after it %d, highest after it %d, growth %.1f%%)\n",
                (growth <= 10 ? "FLAT" : "GROWS"), warmMax, first, max, growth
        }' "$SAMPLES"
}
# The trend: a least-squares line through the samples after the warm-up, as the rise it makes over them,
# relative to its value where they start. A leak shows as a steady rise; a level that swings does not.
trend() {  # column name
    awk -v col="$1" -v warm="$WARMUP" '
        $1 >= warm { n++; sx += $1; sy += $col; sxx += $1 * $1; sxy += $1 * $col; if (n == 1) t0 = $1; t1 = $1 }
        END {
            if (n < 3) { print "n/a"; exit }
            slope = (n * sxy - sx * sy) / (n * sxx - sx * sx); mean = sy / n; start = mean + slope * (t0 - sx / n)
            printf "%+.1f%% over %d s (%+.1f per minute)", (slope * (t1 - t0)) * 100 / start, t1 - t0, slope * 60
        }' "$SAMPLES"
}
echo "RSS (KB): $(flat 2)"
echo "  of which anonymous (heap, stacks; KB): $(flat 4)"
echo "  of which file-backed (code and data pages of the binary and libraries; KB): $(flat 5)"
echo "open descriptors: $(flat 3)"
echo "trend after the warm-up: RSS $(trend 2); descriptors $(trend 3)"
