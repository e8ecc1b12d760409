# Shared by the bench scripts: --help, build stampede in release, wait for a server, stop a process by
# PID, start/stop a private nginx on loopback. Expects ROOT (and BUILD before build_stampede) to be set
# by the caller; sets STAMPEDE, PREFIX, NGINX_PID, URL.

NGINX="${NGINX:-/usr/sbin/nginx}"

# usage: prints the calling script's header comment (what it does, its flags) and exits 0.
usage() {
    sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
    exit 0
}

require_tools() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
    done
}

# STAMPEDE_SCRATCH=DIR builds (and finds) the release binary in DIR instead of .build, so a bench
# run never waits on the lock of a debug build or test run in the same tree.
build_stampede() {
    local scratch=()
    [ -n "${STAMPEDE_SCRATCH:-}" ] && scratch=(--scratch-path "$STAMPEDE_SCRATCH")
    if [ "$BUILD" = 1 ]; then
        (cd "$ROOT" && swift build -c release --product stampede "${scratch[@]}" >&2)
    fi
    STAMPEDE="$(cd "$ROOT" && swift build -c release --show-bin-path "${scratch[@]}")/stampede"
}

# use_stampede [PATH]: the given binary (when PATH is not empty) or the release build; exits if not executable.
use_stampede() {
    if [ -n "${1:-}" ]; then STAMPEDE="$1"; else build_stampede; fi
    [ -x "$STAMPEDE" ] || { echo "no stampede binary at $STAMPEDE (build it, or pass its path)" >&2; exit 1; }
}

# stop_pid PID: kills and reaps PID when it is still running (never by name).
stop_pid() {
    if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then
        kill "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

# wait_for_url URL WHAT [LOG]: polls URL for up to 10 s; on failure says WHAT did not come up, shows LOG, exits 1.
wait_for_url() {
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "$2 did not come up${3:+; see $3}" >&2
    [ -n "${3:-}" ] && cat "$3" >&2
    exit 1
}

# make_prefix NAME: a temp dir removed (with the nginx we started, by PID) on exit.
make_prefix() {
    PREFIX="$(mktemp -d "/tmp/$1.XXXXXX")"
    NGINX_PID=""
    trap cleanup EXIT INT TERM
}

cleanup() {
    stop_pid "$NGINX_PID"
    rm -rf "$PREFIX"
}

# start_nginx PORT [SED-EXPR...]: renders bench/nginx.conf for PORT into $PREFIX (plus any extra
# `sed -e` expressions), runs nginx and waits until it answers; sets URL=http://127.0.0.1:PORT.
start_nginx() {
    local port="$1" edits=()
    shift
    for expr in "$@"; do edits+=(-e "$expr"); done
    sed -e "s#__PORT__#$port#g" -e "s#__PREFIX__#$PREFIX#g" "${edits[@]}" "$ROOT/bench/nginx.conf" > "$PREFIX/nginx.conf"
    URL="http://127.0.0.1:$port"
    "$NGINX" -p "$PREFIX" -c "$PREFIX/nginx.conf" -e "$PREFIX/error.log" &
    NGINX_PID=$!
    wait_for_url "$URL/" nginx "$PREFIX/error.log"
}

# build_curl_loop [CFLAGS...]: the bare C libcurl client (bench/curl_loop.c) at $PREFIX/curl_loop.
build_curl_loop() {
    cc -O2 "$@" -o "$PREFIX/curl_loop" "$ROOT/bench/curl_loop.c" -lcurl
}
