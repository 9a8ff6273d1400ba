#!/usr/bin/env bash
# Jobmanager restart as an operator sees it: kill -9 of the jobmanager, a new one started on the
# same checkpoint directory and port; time from its start until GET /jobs/{id} shows every job
# RUNNING with every task adopted (placed, same attempt as before). Unbounded jobs of jobs.yaml
# on an embedded Kafka cluster in its own process (it outlives the jobmanager), two
# taskmanagers of 4 slots; 5 repetitions.
# Usage (from the repository root, after `swift build`): Benchmarks/jobmanager-restart.sh [repetitions]
# (BIN=.build/release after `swift build -c release` for release binaries)
set -euo pipefail
REPS=${1:-5}
B=${BIN:-.build/debug}
DIR=$(mktemp -d)
PORT=$((19000 + RANDOM % 1000))
JM=http://127.0.0.1:$PORT
export STREAM_TOKEN=bench
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; kill -9 "$(cat "$DIR/jm.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

$B/jobmanager embedded-kafka jobs.yaml >"$DIR/kafka.out" 2>"$DIR/kafka.log" & PIDS+=($!)
until [ -s "$DIR/kafka.out" ]; do sleep 0.1; done
KAFKA=$(head -1 "$DIR/kafka.out")
start_jm() { $B/jobmanager serve --port $PORT --bootstrap-servers "$KAFKA" --checkpoint-dir "$DIR/ckpt" >>"$DIR/jm.log" 2>&1 & echo $! >"$DIR/jm.pid"; }
start_jm
until curl -sf $JM/healthz >/dev/null; do sleep 0.1; done
for n in tm-a tm-b; do $B/taskmanager --jobmanager $JM --slots 4 --name $n >>"$DIR/$n.log" 2>&1 & PIDS+=($!); done
curl -sf -X POST -H "Authorization: Bearer $STREAM_TOKEN" --data-binary @jobs.yaml $JM/jobs >/dev/null
$B/bss-events generate --bootstrap-servers "$KAFKA" --count 200000 >/dev/null 2>&1

python3 - "$JM" "$DIR" "$REPS" "$B" "$PORT" "$KAFKA" <<'PY'
import json, os, signal, statistics, subprocess, sys, time, urllib.request
jm, d, reps, b, port, kafka = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
def get(path): return json.load(urllib.request.urlopen(jm + path, timeout=2))
def jobs():
    try: return [get(f"/jobs/{j['id']}") for j in get("/jobs")["jobs"]]
    except Exception: return None
def wait(what, cond, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if cond(): return
        time.sleep(0.01)
    sys.exit(f"timed out waiting for {what}")
def running(js): return js and all(j["state"] == "RUNNING" and all(t["state"] == "RUNNING" and t.get("taskmanager") for t in j["tasks"]) for j in js)
times = []
proc = None
for r in range(reps):
    wait("every task running", lambda: running(jobs()))
    before = {(j["id"], t["partition"]): t["attempt"] for j in jobs() for t in j["tasks"]}
    pid = int(open(f"{d}/jm.pid").read())
    os.kill(pid, signal.SIGKILL)
    # The old process must have released the port: kill -9 is asynchronous.
    if proc: proc.wait()
    else: wait("old jobmanager gone", lambda: subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0)
    t0 = time.monotonic()
    proc = subprocess.Popen([f"{b}/jobmanager", "serve", "--port", port, "--bootstrap-servers", kafka, "--checkpoint-dir", f"{d}/ckpt"],
                         stdout=open(f"{d}/jm.log", "a"), stderr=subprocess.STDOUT)
    open(f"{d}/jm.pid", "w").write(str(proc.pid))
    wait("every job RUNNING with its tasks adopted", lambda: running(jobs()))
    times.append(time.monotonic() - t0)
    after = {(j["id"], t["partition"]): t["attempt"] for j in jobs() for t in j["tasks"]}
    kept = sum(1 for k in before if after.get(k) == before[k])
    print(f"restart #{r + 1}: every job RUNNING after {times[-1]:.3f} s, {kept} of {len(before)} task(s) kept their attempt", flush=True)
    time.sleep(2)
print(f"jobmanager restart → every job RUNNING, tasks adopted: median {statistics.median(times):.3f} s, max {max(times):.3f} s over {len(times)}")
PY
