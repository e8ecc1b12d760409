#!/usr/bin/env bash
# Sharding costs nothing: 2 `stampede replay` shards with 1 engine worker each (--shard 0/2 and 1/2,
# started together with --start-at, reports combined by `stampede report merge`) against one process
# with 2 workers, same nginx, same corpus, same global --clients/--concurrency, same duration.
#
#   bench/shards.sh [--connections 32] [--duration 5] [--rounds 3] [--port 18082] [--skip-build]
#                   [--stampede PATH]     # a given binary instead of the release build (says so in the output)
#
# The two set-ups run interleaved for --rounds rounds and the medians are compared, so other load on
# the shared cores hits both alike. Throughput is total_requests / runtime_seconds from the reports
# (the merged report's runtime is the slowest shard's). Bar (issue #17): shards ≥ 0.9× one process.
# Loopback only; bounded in time; stops exactly the nginx it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

CONNECTIONS=32
DURATION=5
PORT=18082
ROUNDS=3
BUILD=1
GIVEN=""
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        --stampede) GIVEN="$2"; BUILD=0; shift 2 ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done

require_tools "$NGINX" python3 gzip curl
use_stampede "$GIVEN"
make_prefix stampede-shards-bench

start_nginx "$PORT"

# The replay benchmark's one-step corpus (GET /, expect 2xx).
mkdir -p "$PREFIX/corpus"
{
    echo '{"format":"stampede-corpus","version":1,"created":"2025-01-01T00:00:00Z","tool":"stampede bench","name":"bench","base_url":"'"$URL"'"}'
    echo '{"id":"get-root","weight":1,"steps":[{"request":{"method":"GET","path":"/"},"expect":{"status":200,"class":2}}]}'
} | gzip > "$PREFIX/corpus/baseline.corpus"

echo "target: nginx 1 worker at $URL/; --clients $CONNECTIONS --concurrency $CONNECTIONS, ${DURATION}s; $(nproc) cores shared by clients and server"
echo "binary: $STAMPEDE"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

replay() { # OUT WORKERS [extra flags…]
    local out=$1 workers=$2
    shift 2
    "$STAMPEDE" replay --corpus "$PREFIX/corpus" --base-url "$URL" --mode user --clients "$CONNECTIONS" \
        --concurrency "$CONNECTIONS" --duration "$DURATION" --workers "$workers" --seed 7 --run-id bench-shards \
        --no-triage --no-regressions --no-fail --quiet --output "$out" "$@" >/dev/null
}

# rps REPORT: requests/s and errors of one report file.
rps() {
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("%.0f %d" % (r["total_requests"] / r["runtime_seconds"], r["total_errors"]))
PY
}

single=()
sharded=()
for round in $(seq 1 "$ROUNDS"); do
    dir="$PREFIX/round$round"
    replay "$dir/single" 2
    read -r one one_err < <(rps "$(ls "$dir"/single/report_*.json)")
    # Both shards wait for the same instant, two seconds ahead (start-up included).
    start=$(( $(date +%s) + 2 ))
    replay "$dir/shard0" 1 --shard 0/2 --start-at "$start" &
    s0=$!
    replay "$dir/shard1" 1 --shard 1/2 --start-at "$start" &
    s1=$!
    wait "$s0" "$s1"
    "$STAMPEDE" report merge "$dir"/shard0/report_*.json "$dir"/shard1/report_*.json -o "$dir/merged.json" >/dev/null
    read -r two two_err < <(rps "$dir/merged.json")
    printf "round %d: one process, 2 workers %7d req/s (%d errors) | 2 shards × 1 worker %7d req/s (%d errors) | ratio %.2f\n" \
        "$round" "$one" "$one_err" "$two" "$two_err" "$(python3 -c "print($two / $one)")"
    single+=("$one")
    sharded+=("$two")
done

python3 - "${single[*]}" "${sharded[*]}" <<'PY'
import statistics, sys
one = [float(x) for x in sys.argv[1].split()]
two = [float(x) for x in sys.argv[2].split()]
m1, m2 = statistics.median(one), statistics.median(two)
ratio = m2 / m1
print()
print("median: one process %.0f req/s, 2 shards %.0f req/s → shards = %.2f× one process" % (m1, m2, ratio))
print("%s: 2 shards × 1 worker ≥ 0.9× one process × 2 workers" % ("PASS" if ratio >= 0.9 else "FAIL"))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
