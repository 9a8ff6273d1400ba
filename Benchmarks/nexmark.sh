#!/usr/bin/env bash
# The Nexmark queries of examples/nexmark in our engine (one slot: one core) and in Flink SQL at
# parallelism 1, on the same NDJSON file of `bss-events nexmark`, alternating (Benchmarks/
# flink-side-by-side.sh with the nexmark jobs), then a markdown table of medians. First, both
# engines' outputs of each query are compared on a small file, so the timing is of the same work.
#
#   Benchmarks/nexmark.sh [ROUNDS]             # default 3 rounds; run from anywhere
#
# Environment: EVENTS (default 2M) events in the timed file; QUERIES (default "q0 q1 q2 q5 q11 q14 q15 q21 q22");
# DISCARD (default 1: in the timed runs our output is encoded and dropped, as Flink's blackhole
# sink drops its rows; 0 writes part files); PEER, RESULTS, BIN, OURS_ONLY as for flink-side-by-side.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

ROUNDS=${1:-3}
EVENTS=${EVENTS:-2000000}
QUERIES=${QUERIES:-"q0 q1 q2 q5 q11 q14 q15 q21 q22"}
DISCARD=${DISCARD:-1}
PEER=$(realpath -m "${PEER:-.local/flink-peer}")
RESULTS=$(realpath -m "${RESULTS:-.local/results}")
OURS_ONLY=${OURS_ONLY:-0}
DATA=.local/data
mkdir -p "$DATA" "$RESULTS"

if [ -z "${BIN:-}" ]; then
    swift build -c release --product jobmanager >&2
    BIN=.build/release/jobmanager
fi
swift build -c release --product bss-events >&2
NEXMARK=$DATA/nexmark_$EVENTS.jsonl
[ -f "$NEXMARK" ] || .build/release/bss-events nexmark --events "$EVENTS" --seed 42 --out "$NEXMARK" >&2

if [ "$OURS_ONLY" != 1 ]; then
    small=$DATA/nexmark_20000.jsonl
    [ -f "$small" ] || .build/release/bss-events nexmark --events 20000 --seed 42 --out "$small" >&2
    # One event per second: 10 s windows of a few bids, where several auctions tie for q5's most.
    slow=$DATA/nexmark_20000_1eps.jsonl
    [ -f "$slow" ] || .build/release/bss-events nexmark --events 20000 --events-per-second 1 --seed 42 --out "$slow" >&2
    compare=$RESULTS/nexmark-compare
    rm -rf "$compare"
    for q in $QUERIES; do
        input=$small
        [ "$q" = q5 ] && input=$slow
        "$BIN" replay "examples/nexmark/$q.yaml" --input "$input" --output-dir "$compare/ours" --slots 1 > /dev/null 2>&1
        (cd "$PEER" && PYTHONPATH="$PEER" timeout 600 .local/venv/bin/python "$OLDPWD/Benchmarks/flink/flink_nexmark.py" \
            --query "$q" --input "$OLDPWD/$input" -p 1 --sink collect --out "$compare/flink-$q.csv") > "$compare-$q.log" 2>&1 \
            || { echo "Flink failed on $q:" >&2; tail -20 "$compare-$q.log" >&2; exit 1; }
        python3 Benchmarks/Scripts/nexmark_compare.py "$q" "$compare/ours/nexmark.$q/part-nexmark-$q-0.jsonl" "$compare/flink-$q.csv"
    done
fi

jobs=""
for q in $QUERIES; do jobs="$jobs nexmark-$q"; done
JOBS="$jobs" NEXMARK="$NEXMARK" BIN="$BIN" PEER="$PEER" RESULTS="$RESULTS" OURS_ONLY="$OURS_ONLY" DISCARD="$DISCARD" \
    Benchmarks/flink-side-by-side.sh "$ROUNDS"
