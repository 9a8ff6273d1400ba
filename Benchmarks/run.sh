#!/usr/bin/env bash
# The benchmark suite: engine-only throughput, end-to-end sustained rate and latency, and (with
# --micro) the ordo-one micro-benchmarks. Prints one table and writes
# .local/results/suite-<commit>.json with the figures, the core count and the commit measured.
#
#   Benchmarks/run.sh            # ~12 min: engine 1M events x {10K,1M} customers, e2e rate steps
#   Benchmarks/run.sh --full     # adds 10M events, one run each (each 10M input takes ~90 s to generate)
#   Benchmarks/run.sh --micro    # adds `swift package benchmark`
set -euo pipefail
cd "$(dirname "$0")"
export PATH=/opt/swift/usr/bin:$PATH

full=no
micro=no
for arg in "$@"; do
    case "$arg" in
        --full) full=yes ;;
        --micro) micro=yes ;;
        *) echo "unknown option $arg" >&2; exit 2 ;;
    esac
done

commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- .. || echo "+dirty")
out=.local/results
mkdir -p "$out"
swift build -c release --product engine-throughput >/dev/null
swift build -c release --product e2e-throughput >/dev/null
swift build -c release --product kafka-burst-latency >/dev/null

engine=("$out/engine.json")
.build/release/engine-throughput --events 1M --customers 10K,1M --runs 3 --json "$out/engine.json"
if [ "$full" = yes ]; then
    .build/release/engine-throughput --events 10M --customers 10K,1M --runs 1 --json "$out/engine-10M.json"
    engine+=("$out/engine-10M.json")
fi
.build/release/e2e-throughput --rates 100K,150K,200K,300K,400K --seconds 15 \
    --delivery exactly-once,at-least-once,transactional --json "$out/e2e.json" 2> "$out/e2e.log" \
    | grep -v "^20[0-9][0-9]-"  # the job runner's log lines
# The Kafka path's own latency, no job: bursts of 10K results into the embedded cluster.
.build/release/kafka-burst-latency --json "$out/burst.json" 2>> "$out/e2e.log"
if [ "$micro" = yes ]; then
    swift package --disable-sandbox benchmark --format markdown --path "$out/micro" >/dev/null || true
fi

python3 Scripts/summarize.py --engine "${engine[@]}" --e2e "$out/e2e.json" --burst "$out/burst.json" --commit "$commit" \
    --cores "$(nproc)" --json "$out/suite-$commit.json"
