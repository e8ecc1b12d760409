#!/usr/bin/env bash
# Engine benchmark: nginx on loopback, then wrk, hey, a bare C libcurl loop (bench/curl_loop.c)
# and `stampede bench-engine` on both worker loops (socket-action/epoll and perform/poll) in one
# run, each at the same connection count for the same duration. Prints requests/s, client CPU µs
# per request, each tool's ratio to wrk and Stampede's CPU per request over bare libcurl's.
#
#   bench/engine.sh [--connections 32] [--duration 5] [--port 18080] [--workers N] [--skip-build]
#
# Loopback only; bounded in time; stops exactly the nginx it started (by PID).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

CONNECTIONS=32
DURATION=5
PORT=18080
WORKERS=""
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done

require_tools "$NGINX" wrk hey cc
build_stampede
make_prefix stampede-bench
build_curl_loop
start_nginx "$PORT"
URL="$URL/"

# CPU time (user + sys, µs) of every waited-for child of this shell so far; a tool's CPU is the
# difference around its run (works for wrk and hey, which report none themselves).
children_cpu_us() {
    # Fields 16 and 17 of /proc/$$/stat: cutime and cstime in clock ticks (waited-for children).
    local stat ticks
    stat=$(cat /proc/$$/stat)
    stat=${stat##*) }
    set -- $stat
    ticks=$(getconf CLK_TCK)
    echo $(( ( ${14} + ${15} ) * 1000000 / ticks ))
}

echo "target: nginx 1 worker at $URL; $CONNECTIONS connections, ${DURATION}s each; $(nproc) cores shared by client and server"
echo

# wrk: 1 thread per core (2 on this machine), as one would run it.
THREADS=$(nproc)
[ "$THREADS" -gt "$CONNECTIONS" ] && THREADS=$CONNECTIONS
before=$(children_cpu_us)
WRK_OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL")
after=$(children_cpu_us)
WRK_RPS=$(echo "$WRK_OUT" | awk '/Requests\/sec/ {print $2}')
WRK_REQS=$(echo "$WRK_OUT" | awk '/requests in/ {print $1}')
WRK_P50=$(echo "$WRK_OUT" | awk '$1=="50%" {print $2}')
WRK_P99=$(echo "$WRK_OUT" | awk '$1=="99%" {print $2}')
WRK_CPU=$(awk -v c=$((after - before)) -v n="$WRK_REQS" 'BEGIN { printf "%.2f", c / n }')

before=$(children_cpu_us)
HEY_OUT=$(hey -c "$CONNECTIONS" -z "${DURATION}s" "$URL")
after=$(children_cpu_us)
HEY_RPS=$(echo "$HEY_OUT" | awk '/Requests\/sec/ {print $2}')
HEY_REQS=$(echo "$HEY_OUT" | awk '/\[200\]/ {print $2}')
HEY_P50=$(echo "$HEY_OUT" | awk '/ 50%% in/ || /50% in/ {print $3 " " $4}')
HEY_P99=$(echo "$HEY_OUT" | awk '/99% in/ {print $3 " " $4}')
HEY_CPU=$(awk -v c=$((after - before)) -v n="${HEY_REQS:-1}" 'BEGIN { printf "%.2f", c / n }')

# The bare libcurl loop: one thread, perform + poll, no Swift; it reports its own CPU time.
BARE_OUT=$("$PREFIX/curl_loop" "$URL" "$CONNECTIONS" "$DURATION")
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k {print $2}'; }
BARE_RPS=$(field "$BARE_OUT" rps)
BARE_CPU=$(field "$BARE_OUT" cpu_us_per_req)

WORKER_ARGS=()
[ -n "$WORKERS" ] && WORKER_ARGS=(--workers "$WORKERS")
declare -A ENGINE_RPS ENGINE_CPU ENGINE_P50 ENGINE_P99
for loop in socket-action perform; do
    out=$("$STAMPEDE" bench-engine --url "$URL" --connections "$CONNECTIONS" --duration "$DURATION" --machine \
        --loop "$loop" "${WORKER_ARGS[@]}")
    ENGINE_RPS[$loop]=$(field "$out" rps)
    ENGINE_CPU[$loop]=$(field "$out" cpu_us_per_req)
    ENGINE_P50[$loop]=$(field "$out" p50_us)
    ENGINE_P99[$loop]=$(field "$out" p99_us)
    errors=$(field "$out" errors)
    [ "${errors:-0}" = 0 ] || echo "warning: stampede engine ($loop) saw $errors errors: $out" >&2
done

ratio() { awk -v a="$1" -v b="$WRK_RPS" 'BEGIN { printf "%.2f", a / b }'; }
over_bare() { awk -v a="$1" -v b="$BARE_CPU" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
printf "%-28s %12s %12s %8s %10s %12s %12s\n" tool "requests/s" "CPU µs/req" "vs wrk" "CPU÷bare" p50 p99
printf "%-28s %12.0f %12s %8s %10s %12s %12s\n" "wrk (-t$THREADS)" "$WRK_RPS" "$WRK_CPU" "1.00" "$(over_bare "$WRK_CPU")" "$WRK_P50" "$WRK_P99"
printf "%-28s %12.0f %12s %8s %10s %12s %12s\n" hey "$HEY_RPS" "$HEY_CPU" "$(ratio "$HEY_RPS")" "$(over_bare "$HEY_CPU")" "$HEY_P50" "$HEY_P99"
printf "%-28s %12.0f %12s %8s %10s %12s %12s\n" "bare libcurl loop (C, 1 thr)" "$BARE_RPS" "$BARE_CPU" "$(ratio "$BARE_RPS")" "1.00" "" ""
for loop in socket-action perform; do
    printf "%-28s %12.0f %12s %8s %10s %12s %12s\n" "stampede engine ($loop)" "${ENGINE_RPS[$loop]}" "${ENGINE_CPU[$loop]}" \
        "$(ratio "${ENGINE_RPS[$loop]}")" "$(over_bare "${ENGINE_CPU[$loop]}")" "${ENGINE_P50[$loop]}us" "${ENGINE_P99[$loop]}us"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; other builds skew requests/s, CPU µs/req less)"
