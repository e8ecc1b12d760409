#!/usr/bin/env bash
# Where the engine's CPU goes: against the engine benchmark's nginx, for the bare C libcurl loop
# (bench/curl_loop.c) and `stampede bench-engine` on both worker loops,
#   1. `perf record -g` and the top 15 symbols by self time (`--no-children`), and
#   2. with --callgrind, instructions per request under valgrind's callgrind: the one figure that
#      does not move with the load other processes put on the machine (the run is ~50× slower,
#      so only the ratio between the clients means anything, not the request rate).
#
#   bench/profile.sh [--connections 32] [--duration 5] [--port 18082] [--callgrind] [--skip-build]
#
# Loopback only; bounded in time; stops exactly the nginx it started (by PID).
set -euo pipefail

CONNECTIONS=32
DURATION=5
PORT=18082
CALLGRIND=0
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --callgrind) CALLGRIND=1; shift ;;
        --skip-build) BUILD=0; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"
require_tools "$NGINX" perf cc
[ "$CALLGRIND" = 1 ] && require_tools valgrind callgrind_annotate
build_stampede
make_prefix stampede-profile
cc -O2 -g -o "$PREFIX/curl_loop" "$ROOT/bench/curl_loop.c" -lcurl
sed -e "s#__PORT__#$PORT#g" -e "s#__PREFIX__#$PREFIX#g" "$ROOT/bench/nginx.conf" > "$PREFIX/nginx.conf"
URL="http://127.0.0.1:$PORT/"
start_nginx "$PREFIX/nginx.conf" "$URL"

field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k {print $2}'; }
client_command() {  # NAME: sets CMD to the command that runs that client for DURATION seconds
    case "$1" in
        bare) CMD=("$PREFIX/curl_loop" "$URL" "$CONNECTIONS" "$DURATION") ;;
        *) CMD=("$STAMPEDE" bench-engine --url "$URL" --connections "$CONNECTIONS" --duration "$DURATION" --machine --loop "$1") ;;
    esac
}

echo "target: nginx 1 worker at $URL; $CONNECTIONS connections, ${DURATION}s per client; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for client in bare socket-action perform; do
    client_command "$client"
    perf record -q -g -o "$PREFIX/$client.perf" -- "${CMD[@]}" > "$PREFIX/$client.out" 2>/dev/null
    echo
    echo "== $client: $(cat "$PREFIX/$client.out")"
    perf report -i "$PREFIX/$client.perf" --no-children --sort dso,symbol --stdio 2>/dev/null \
        | grep -E '^ +[0-9.]+%' | head -15 | cut -c1-160
done

if [ "$CALLGRIND" = 1 ]; then
    echo
    echo "instructions per request (callgrind; the client process only, startup included):"
    for client in bare socket-action perform; do
        client_command "$client"
        out=$(valgrind --tool=callgrind --callgrind-out-file="$PREFIX/$client.cg" -q "${CMD[@]}" 2>/dev/null)
        requests=$(field "$out" requests)
        instructions=$(callgrind_annotate "$PREFIX/$client.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
        awk -v c="$client" -v i="${instructions:-0}" -v n="${requests:-0}" \
            'BEGIN { printf "  %-14s %10d requests  %14.0f instructions  %8.0f per request\n", c, n, i, (n > 0 ? i / n : 0) }'
    done
fi
