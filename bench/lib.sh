# Shared by the bench scripts: build stampede in release, start/stop a private nginx on loopback.
# Expects ROOT and BUILD to be set by the caller; sets STAMPEDE, PREFIX, NGINX_PID.

NGINX="${NGINX:-/usr/sbin/nginx}"

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

# make_prefix NAME: a temp dir removed (with the nginx we started, by PID) on exit.
make_prefix() {
    PREFIX="$(mktemp -d "/tmp/$1.XXXXXX")"
    NGINX_PID=""
    trap cleanup EXIT INT TERM
}

cleanup() {
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    rm -rf "$PREFIX"
}

# start_nginx CONF URL: run nginx with CONF (already rendered into $PREFIX) until URL answers.
start_nginx() {
    "$NGINX" -p "$PREFIX" -c "$1" -e "$PREFIX/error.log" &
    NGINX_PID=$!
    for _ in $(seq 1 50); do
        curl -sf -o /dev/null "$2" && return 0
        sleep 0.1
    done
    curl -sf -o /dev/null "$2" || { echo "nginx did not come up; see $PREFIX/error.log" >&2; cat "$PREFIX/error.log" >&2; exit 1; }
}
