#!/usr/bin/env bash
# Fuzzing benchmark: Stampede monkey mode from corpora/demo alone ("stampede (recording only)"), the same
# plus the demo target's /openapi.json ("stampede + spec", #16: schema requests, conformance checks) and
# Schemathesis (from /openapi.json), same wall time, each run on a freshly started demo target.
#
#   bench/fuzz.sh [--times "30 60"] [--seeds 5] [--port 18090] [--skip-build]
#
# For every planted defect it prints the time each tool took to first trigger it (median over the
# seeds; "-" when a tool never did within the time) and the number of distinct defects each tool
# triggered. Detection is on the server side and the same for both tools: the demo target's verbose
# log marks every planted failure (`500 [D8]`, `dropped [D6]`), and a stamper adds the arrival time.
# D7 (a 15 s hang that ends in an ordinary 422) leaves no mark in the log, so it is not timed here.
# For "stampede + spec" it also prints the run's last summary line, `operations: X/Y exercised, Z with
# real state` (operations answered 2xx with IDs from recorded state), from its report.
#
# Schemathesis comes from PyPI, pinned, into .build/bench-venv (created on first use). Both tools get
# a logged-in session: Stampede logs in itself (corpus identity steps); Schemathesis is given the
# cookies and CSRF header of a user this script registers. Loopback only; every process this script
# starts is stopped by PID.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

TIMES="30 60"
SEEDS=5
PORT=18090
BUILD=1
SCHEMATHESIS_VERSION="4.32.5"
while [ $# -gt 0 ]; do
    case "$1" in
        --times) TIMES="$2"; shift 2 ;;
        --seeds) SEEDS="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --skip-build) BUILD=0; shift ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1 (--help lists the flags)" >&2; exit 2 ;;
    esac
done

require_tools curl python3 timeout
build_stampede
VENV="$ROOT/.build/bench-venv"
if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK="$(mktemp -d /tmp/stampede-fuzz.XXXXXX)"
SERVER_PID=""
stop_server() {
    stop_pid "$SERVER_PID"
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT INT TERM

BASE="http://127.0.0.1:$PORT"
STAMP='import sys, time
t0 = float(sys.argv[1])
for line in sys.stdin:
    if "[D" in line:
        print(f"{time.time() - t0:.2f} {line.strip()}", flush=True)'

# start_server LOG: a fresh demo target whose marked lines go to LOG with seconds since start.
start_server() {
    local t0
    t0="$(python3 -c 'import time; print(time.time())')"
    # The log goes through the stamper by process substitution, so $! is the server itself: stopping it by PID
    # ends the stamper too (EOF). Through a pipe, $! was the stamper and `wait` hung on the live server.
    "$STAMPEDE" serve-demo --host 127.0.0.1 --port "$PORT" --verbose 2> >(python3 -u -c "$STAMP" "$t0" >"$1") >/dev/null &
    SERVER_PID=$!
    wait_for_url "$BASE/api/v1/health/live" "the demo target"
}

run_stampede() {  # SECONDS SEED
    "$STAMPEDE" replay --corpus "$ROOT/corpora/demo" --base-url "$BASE" --mode monkey --duration "$1" --seed "$2" \
        --request-timeout 2s --triage-time 1 --output "$WORK/out" --quiet >/dev/null 2>&1 || true
}

run_stampede_spec() {  # SECONDS SEED
    "$STAMPEDE" replay --corpus "$ROOT/corpora/demo" --base-url "$BASE" --mode monkey --duration "$1" --seed "$2" \
        --openapi "$BASE/openapi.json" --request-timeout 2s --triage-time 1 --output "$WORK/out-spec-$1-$2" --quiet \
        >/dev/null 2>&1 || true
}

run_schemathesis() {  # SECONDS SEED
    local user="st$2$RANDOM" jar="$WORK/jar"
    curl -s -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"password123\"}" "$BASE/api/v1/auth/register"
    curl -s -o /dev/null -c "$jar" -d "username=$user&password=password123" "$BASE/api/v1/auth/login"
    local access csrf
    access="$(awk '$6 == "access_token" { print $7 }' "$jar")"
    csrf="$(awk '$6 == "csrf_token" { print $7 }' "$jar")"
    # From $WORK: Schemathesis writes a .schemathesis/ cache into its working directory.
    (cd "$WORK" && timeout "$1" "$VENV/bin/st" run "$BASE/openapi.json" --url "$BASE/api/v1" --seed "$2" --checks all \
        -H "Cookie: access_token=$access; csrf_token=$csrf" -H "X-CSRF-Token: $csrf" \
        --request-timeout 2 >/dev/null 2>&1) || true
}

# first_times LOG: "D8 1.23" for each defect's first mark.
first_times() {
    python3 -c 'import re, sys
seen = {}
for line in open(sys.argv[1]):
    m = re.search(r"\[(D\d+)\]", line)
    if m and m.group(1) not in seen:
        seen[m.group(1)] = line.split()[0]
for d, t in seen.items():
    print(d, t)' "$1"
}

for seconds in $TIMES; do
    for tool in stampede stampede_spec schemathesis; do
        for seed in $(seq 1 "$SEEDS"); do
            log="$WORK/$tool-$seconds-$seed.log"
            start_server "$log"
            "run_$tool" "$seconds" "$seed"
            stop_server
            first_times "$log" >"$WORK/$tool-$seconds-$seed.first"
        done
    done
    python3 - "$WORK" "$seconds" "$SEEDS" <<'EOF'
import statistics, sys
work, seconds, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
defects = [f"D{i}" for i in range(1, 13) if i != 7]
found = {}
tools = ("stampede", "stampede_spec", "schemathesis")
names = {"stampede": "stampede (recording only)", "stampede_spec": "stampede + spec", "schemathesis": "schemathesis"}
for tool in tools:
    per = {d: [] for d in defects}
    counts = []
    for seed in range(1, seeds + 1):
        first = dict(line.split() for line in open(f"{work}/{tool}-{seconds}-{seed}.first") if line.strip())
        counts.append(len(first))
        for d in defects:
            per[d].append(float(first[d]) if d in first else None)
    found[tool] = (per, counts)
print(f"\n{seconds} s per run, {seeds} seed(s); median time to first trigger (s), '-' = not found in a majority of seeds")
print(f"{'defect':8} {names['stampede']:>26} {names['stampede_spec']:>16} {names['schemathesis']:>13}")
for d in defects:
    row = []
    for tool in tools:
        times = found[tool][0][d]
        hits = sorted(t for t in times if t is not None)
        row.append(f"{statistics.median(hits):.1f}" if len(hits) * 2 > len(times) else "-")
    print(f"{d:8} {row[0]:>26} {row[1]:>16} {row[2]:>13}")
for tool in tools:
    counts = found[tool][1]
    print(f"{names[tool]}: distinct defects per run {counts}, median {statistics.median(counts)}")
import glob, json
for seed in range(1, seeds + 1):
    reports = sorted(glob.glob(f"{work}/out-spec-{seconds}-{seed}/report_*.json"))
    rows = json.load(open(reports[-1])).get("operations", []) if reports else []
    exercised = sum(1 for r in rows if r["requests"] > 0)
    real = sum(1 for r in rows if r["real_state"])
    conformance = 0
    if reports:
        conformance = sum(1 for f in json.load(open(reports[-1])).get("findings", []) if f.get("failure_class") == "conformance")
    print(f"stampede + spec seed {seed}: operations: {exercised}/{len(rows)} exercised, {real} with real state; "
          f"{conformance} conformance finding(s)")
EOF
done
