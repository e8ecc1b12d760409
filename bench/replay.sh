#!/usr/bin/env bash
# Replay benchmark: nginx on loopback, then wrk, Locust (FastHttpUser) and `stampede replay` of a
# one-step corpus (GET /) at the same connection count for the same duration, in one run; then
# stampede's peak memory (max RSS) with 1,000 clients / 1,000 connections.
#
#   bench/replay.sh [--connections 32] [--duration 5] [--rounds 3] [--port 18081]
#                   [--memory-connections 1000] [--skip-build] [--skip-locust]
#
# wrk and stampede run interleaved for --rounds rounds and the medians are compared, so a burst
# of other load on the shared cores does not land on one tool only.
#
# Bars (issue #18): stampede ≥ 0.85× wrk requests/s (median of the interleaved rounds),
# ≥ 5× Locust FastHttpUser, max RSS < 150 MB with 0 errors at --memory-connections (10,000 for #18). Locust comes from PyPI into bench/.venv (gitignored),
# created on first use. Loopback only; bounded in time; stops exactly the nginx it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

CONNECTIONS=32
DURATION=5
PORT=18081
MEM_CONNECTIONS=1000
ROUNDS=3
BUILD=1
LOCUST=1
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --memory-connections) MEM_CONNECTIONS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        --skip-locust) LOCUST=0; shift ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done

require_tools "$NGINX" wrk python3 gzip cc /usr/bin/time
build_stampede
make_prefix stampede-replay-bench

# The engine benchmark's nginx, with room for the memory run's connections. Both nginx and stampede
# need a descriptor per connection (plus slack): raise the soft limit to what is needed, as far as
# the hard limit allows, and say so when it cannot.
NEED_FDS=$((MEM_CONNECTIONS + 1024))
HARD_FDS=$(ulimit -Hn)
[ "$HARD_FDS" = unlimited ] && HARD_FDS=1048576
if [ "$HARD_FDS" -lt "$NEED_FDS" ]; then
    echo "note: the descriptor hard limit is $HARD_FDS, below the $NEED_FDS that $MEM_CONNECTIONS connections need; the memory run may fail to connect" >&2
    NEED_FDS=$HARD_FDS
fi
ulimit -n "$NEED_FDS" 2>/dev/null || echo "note: could not raise the descriptor limit to $NEED_FDS (soft limit stays $(ulimit -n))" >&2
start_nginx "$PORT" "s#worker_connections 1024;#worker_connections $NEED_FDS;#" \
    "s#^worker_processes 1;#worker_processes 1;\nworker_rlimit_nofile $NEED_FDS;#"

# A one-step corpus: a gzip stream of JSON lines (header, then one session with GET /).
mkdir -p "$PREFIX/corpus" "$PREFIX/out"
{
    echo '{"format":"stampede-corpus","version":1,"created":"2025-01-01T00:00:00Z","tool":"stampede bench","name":"bench","base_url":"'"$URL"'"}'
    echo '{"id":"get-root","weight":1,"steps":[{"request":{"method":"GET","path":"/"},"expect":{"status":200,"class":2}}]}'
} | gzip > "$PREFIX/corpus/baseline.corpus"

echo "target: nginx 1 worker at $URL/; $CONNECTIONS connections, ${DURATION}s each; $(nproc) cores shared by client and server"
echo "engine loop: ${STAMPEDE_ENGINE_LOOP:-the default} (STAMPEDE_ENGINE_LOOP=socket-action|perform); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

THREADS=$(nproc)
[ "$THREADS" -gt "$CONNECTIONS" ] && THREADS=$CONNECTIONS

# stampede replay: user mode, one client per connection, the cap equal to the client count.
report_rps() {
    python3 - "$1" <<'PY'
import json, sys, glob
r = json.load(open(sorted(glob.glob(sys.argv[1] + "/report_*.json"))[-1]))
steady = r["timeline"]["rps"][1:-1] or r["timeline"]["rps"]
print("%.0f %.0f %d %d %d" % (r["total_requests"] / r["runtime_seconds"], sum(steady) / len(steady),
      r["total_errors"], r["max_in_flight"], r["clients"]["active"]))
PY
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
WRK_ALL=""
ST_ALL=""
for round in $(seq 1 "$ROUNDS"); do
    w=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$URL/" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    "$STAMPEDE" replay --corpus "$PREFIX/corpus" --base-url "$URL" --mode user --clients "$CONNECTIONS" \
        --concurrency "$CONNECTIONS" --duration "$DURATION" --output "$PREFIX/out/rps$round" --quiet --no-fail --seed 1 >/dev/null
    read -r s ST_STEADY ST_ERRORS ST_MAXFLIGHT ST_ACTIVE < <(report_rps "$PREFIX/out/rps$round")
    echo "round $round: wrk $w req/s, stampede $s req/s ($(awk -v a="$s" -v b="$w" 'BEGIN { printf "%.2f", a / b }')×)"
    WRK_ALL="$WRK_ALL $w"
    ST_ALL="$ST_ALL $s"
    RATIO_ALL="${RATIO_ALL:-} $(awk -v a="$s" -v b="$w" 'BEGIN { printf "%.3f", a / b }')"
done
RATIO_MEDIAN=$(echo "$RATIO_ALL" | median)
WRK_RPS=$(echo "$WRK_ALL" | median)
ST_RPS=$(echo "$ST_ALL" | median)
echo

LOCUST_RPS=""
if [ "$LOCUST" = 1 ]; then
    VENV="$ROOT/bench/.venv"
    if [ ! -x "$VENV/bin/locust" ]; then
        echo "installing Locust into bench/.venv (first run only)…" >&2
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet locust >&2
    fi
    cat > "$PREFIX/locustfile.py" <<'PY'
from locust import FastHttpUser, constant, task

class Root(FastHttpUser):
    wait_time = constant(0)

    @task
    def root(self):
        self.client.get("/")
PY
    (cd "$PREFIX" && "$VENV/bin/locust" -f "$PREFIX/locustfile.py" --headless -u "$CONNECTIONS" -r "$CONNECTIONS" \
        -t "${DURATION}s" --host "$URL" --csv "$PREFIX/locust" --only-summary >/dev/null 2>&1) || true
    LOCUST_RPS=$(python3 - "$PREFIX/locust_stats.csv" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["Name"] == "Aggregated":
        print("%.0f" % float(row["Requests/s"]))
PY
)
fi

# Memory: --memory-connections clients, each with its own connection, all in flight at once.
MEM_KB=$( { /usr/bin/time -f "%M" "$STAMPEDE" replay --corpus "$PREFIX/corpus" --base-url "$URL" --mode user \
    --clients "$MEM_CONNECTIONS" --concurrency "$MEM_CONNECTIONS" --duration "$DURATION" --output "$PREFIX/out/mem" \
    --quiet --no-fail --seed 2 >/dev/null; } 2>&1 | tail -1)
read -r MEM_RPS _ MEM_ERRORS MEM_MAXFLIGHT MEM_ACTIVE < <(report_rps "$PREFIX/out/mem")
# The floor: the bare C libcurl loop with as many transfers at once, and the receive buffer Stampede
# picks for them (EngineConfiguration.receiveBufferSize: a 16 MiB budget shared out, 1–16 KiB).
MEM_BUFFER=$((16777216 / MEM_CONNECTIONS / 1024 * 1024))
[ "$MEM_BUFFER" -gt 16384 ] && MEM_BUFFER=16384
[ "$MEM_BUFFER" -lt 1024 ] && MEM_BUFFER=1024
build_curl_loop
BARE_KB=$( { /usr/bin/time -f "%M" "$PREFIX/curl_loop" "$URL/" "$MEM_CONNECTIONS" "$DURATION" "$MEM_BUFFER" >/dev/null; } 2>&1 | tail -1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "medians of $ROUNDS rounds:"
printf "%-26s %12s %10s\n" tool "requests/s" "stampede÷"
printf "%-26s %12.0f %10s\n" "wrk (-t$THREADS)" "$WRK_RPS" "$(ratio "$ST_RPS" "$WRK_RPS")"
[ -n "$LOCUST_RPS" ] && printf "%-26s %12.0f %10s\n" "locust FastHttpUser" "$LOCUST_RPS" "$(ratio "$ST_RPS" "$LOCUST_RPS")"
printf "%-26s %12.0f %10s   (last round: errors %s; max in flight %s; active clients %s)\n" \
    "stampede replay" "$ST_RPS" "1.00" "$ST_ERRORS" "$ST_MAXFLIGHT" "$ST_ACTIVE"
echo
echo "stampede at $MEM_CONNECTIONS connections: max RSS $((MEM_KB / 1024)) MB; $MEM_RPS requests/s; errors $MEM_ERRORS; max in flight $MEM_MAXFLIGHT; active clients $MEM_ACTIVE"
echo "bare C libcurl loop at $MEM_CONNECTIONS connections, $((MEM_BUFFER / 1024)) KiB receive buffer: max RSS $((BARE_KB / 1024)) MB;" \
    "stampede adds $(((MEM_KB - BARE_KB) / 1024)) MB ($(((MEM_KB - BARE_KB) / MEM_CONNECTIONS)) KB per connection, its runtime libraries included)"
echo
verdict() { if awk -v v="$1" -v bar="$2" 'BEGIN { exit !(v >= bar) }'; then echo "PASS"; else echo "FAIL"; fi; }
echo "median of the per-round ratios: $RATIO_MEDIAN× wrk (rounds:$RATIO_ALL)"
echo "bar: stampede ≥ 0.85× wrk (median round ratio): $(verdict "$RATIO_MEDIAN" 0.85)"
[ -n "$LOCUST_RPS" ] && echo "bar: stampede ≥ 5× locust: $(verdict "$(ratio "$ST_RPS" "$LOCUST_RPS")" 5)"
echo "bar: max RSS at $MEM_CONNECTIONS connections < 150 MB: $(verdict $((150 * 1024)) $((MEM_KB + 1)))"
echo "bar: 0 errors at $MEM_CONNECTIONS connections: $([ "$MEM_ERRORS" = 0 ] && echo PASS || echo FAIL)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores shared by client and server)"
