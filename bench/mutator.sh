#!/usr/bin/env bash
# Mutants per second on one core, in a release build.
#
#   bench/mutator.sh [CORPUS] [SECONDS]
#
# CORPUS defaults to the shipped corpora/demo/baseline.corpus. Both wall-clock
# and thread-CPU rates are printed: on a busy machine the CPU rate is the one that measures the
# mutator rather than the scheduler.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-corpora/demo/baseline.corpus}"
seconds="${2:-3}"
if ! swift build -c release --product stampede >/dev/null 2>&1; then
    swift build -c release --product stampede  # show the errors
    exit 1
fi
bin="$(swift build -c release --show-bin-path)/stampede"
[[ -f "$corpus" ]] || { echo "no corpus at $corpus" >&2; exit 1; }
echo "corpus: $corpus"
"$bin" mutate --corpus "$corpus" --bench "$seconds"
