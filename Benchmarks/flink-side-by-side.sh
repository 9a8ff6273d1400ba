#!/usr/bin/env bash
# Our engine and Apache Flink on the same NDJSON files, one after the other, alternating:
# per round, `jobmanager replay --slots 1` then Flink at parallelism 1 on the customer events,
# then the same on the order events. Appends one JSON line per run to
# $RESULTS/side-by-side.jsonl and prints a markdown table of medians.
#
#   Benchmarks/flink-side-by-side.sh [ROUNDS]          # default 3 rounds; run from anywhere
#
# Environment (paths relative to the repository root):
#   PEER     Flink peer folder (a copy of shared/peers/flink with its venv)  [.local/flink-peer]
#   EVENTS   customer events file                           [$PEER/.local/data/events_5M.jsonl]
#   ORDERS   order events file                              [$PEER/.local/data/orders_5M.jsonl]
#   RESULTS  where the JSONL, logs and our (deleted) output go              [.local/results]
#   JOBS     which of "customer-analytics order-fraud customer-session-windows nexmark-q<N>" to run
#            (customer-session-windows: Benchmarks/bench-jobs.yaml against
#            Benchmarks/flink/flink_customer_sessions.py, on EVENTS; nexmark-q<N>:
#            examples/nexmark/q<N>.yaml against Benchmarks/flink/flink_nexmark.py, on NEXMARK;
#            Benchmarks/nexmark.sh runs them all)                         [customer-analytics order-fraud]
#   NEXMARK  Nexmark events file (bss-events nexmark)               [.local/data/nexmark_2M.jsonl]
#   OURS_ONLY=1  skip Flink (no venv needed)
#   DISCARD=1    our replay encodes its output and drops it (`--discard-output`), as Flink's
#                blackhole sink does; default: we write part files              [0]
#   BIN      our jobmanager binary; set it to skip the release build       [built .build/release/jobmanager]
# Measure on a quiet machine: another process on the cores changes both engines' figures a lot.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

ROUNDS=${1:-3}
PEER=$(realpath -m "${PEER:-.local/flink-peer}")
EVENTS=$(realpath -m "${EVENTS:-$PEER/.local/data/events_5M.jsonl}")
ORDERS=$(realpath -m "${ORDERS:-$PEER/.local/data/orders_5M.jsonl}")
NEXMARK=$(realpath -m "${NEXMARK:-.local/data/nexmark_2M.jsonl}")
RESULTS=$(realpath -m "${RESULTS:-.local/results}")
JOBS=${JOBS:-"customer-analytics order-fraud"}
OURS_ONLY=${OURS_ONLY:-0}
PY=$PEER/.local/venv/bin/python

if [ "$OURS_ONLY" != 1 ] && [ ! -x "$PY" ]; then
    echo "no Flink venv at $PY: install it (see $PEER/README.md) or set OURS_ONLY=1" >&2
    exit 2
fi
# The input file of a job.
input_of() {
    case $1 in
        order-fraud) echo "$ORDERS" ;;
        nexmark-*) echo "$NEXMARK" ;;
        *) echo "$EVENTS" ;;
    esac
}
for job in $JOBS; do
    input=$(input_of "$job")
    if [ ! -f "$input" ]; then
        echo "missing input $input: generate it with $PEER/gen_events.py or gen_orders.py (see $PEER/README.md)" >&2
        exit 2
    fi
done

if [ -z "${BIN:-}" ]; then
    swift build -c release --product jobmanager >&2
    BIN=.build/release/jobmanager
fi
BIN=$(realpath "$BIN")

TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -v)
mkdir -p "$RESULTS"
OUT=$RESULTS/side-by-side.jsonl
stamp=$(date -u +%Y%m%dT%H%M%SZ)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

# Appends one line: the run's last RESULT JSON plus what was measured around the process
# (/usr/bin/time's wall clock and maximum RSS when it ran, else the harness's own wall clock).
record() { # engine job round rc log wall_s
    python3 - "$@" "$stamp" "$commit" >> "$OUT" <<'EOF'
import json, re, sys
engine, job, rnd, rc, log, wall, stamp, commit = sys.argv[1:]
text = open(log, errors="replace").read()
results = [l[7:] for l in text.splitlines() if l.startswith("RESULT ")]
d = json.loads(results[-1]) if results else {}
elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
if elapsed:
    secs = 0.0
    for part in elapsed.group(1).split(":"):
        secs = secs * 60 + float(part)
    wall = secs
maxrss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
d.update(engine=engine, bench_job=job, round=int(rnd), rc=int(rc), process_wall_s=round(float(wall), 3),
         max_rss_kb=int(maxrss.group(1)) if maxrss else None, series=stamp, commit=commit, log=log)
print(json.dumps(d))
EOF
    tail -1 "$OUT" >&2
}

# Wall seconds since a `date +%s%N` stamp.
since() { python3 -c "import sys,time; print(round((time.time_ns() - int(sys.argv[1])) / 1e9, 3))" "$1"; }

for round in $(seq 1 "$ROUNDS"); do
    for job in $JOBS; do
        definition=jobs.yaml
        input=$(input_of "$job")
        flink_args=()
        case $job in
            customer-analytics) script=flink_customer_analytics.py ;;
            order-fraud) script=flink_order_fraud.py ;;
            customer-session-windows) script=$PWD/Benchmarks/flink/flink_customer_sessions.py
                               definition=Benchmarks/bench-jobs.yaml ;;
            nexmark-q*) script=$PWD/Benchmarks/flink/flink_nexmark.py definition=examples/nexmark/${job#nexmark-}.yaml
                        flink_args=(--query "${job#nexmark-}") ;;
            *) echo "unknown job $job" >&2; exit 2 ;;
        esac
        n=$(wc -l < "$input")

        log=$RESULTS/sbs_${stamp}_ours_${job}_r${round}.log
        out=$RESULTS/sbs-output
        rm -rf "$out"
        t0=$(date +%s%N)
        rc=0
        discard=()
        [ "${DISCARD:-0}" = 1 ] && discard=(--discard-output)
        "${TIME[@]}" "$BIN" replay "$definition" --job "$job" --input "$input" --output-dir "$out" --slots 1 "${discard[@]}" > "$log" 2>&1 || rc=$?
        record swift-stream "$job" "$round" "$rc" "$log" "$(since "$t0")"
        rm -rf "$out"

        [ "$OURS_ONLY" = 1 ] && continue
        log=$RESULTS/sbs_${stamp}_flink_${job}_r${round}.log
        t0=$(date +%s%N)
        rc=0
        (cd "$PEER" && PYTHONPATH="$PEER" "${TIME[@]}" timeout 900 "$PY" "$script" "${flink_args[@]}" --input "$input" -p 1 --n "$n") > "$log" 2>&1 || rc=$?
        record flink "$job" "$round" "$rc" "$log" "$(since "$t0")"
    done
done

python3 Benchmarks/Scripts/side_by_side.py "$OUT" --series "$stamp"
