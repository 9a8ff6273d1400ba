#!/usr/bin/env bash
# Failover time as an operator sees it: from kill -9 (or SIGSTOP) of a taskmanager until
# GET /jobs/{id} shows every task it ran RUNNING on another taskmanager. Unbounded jobs of
# jobs.yaml on the embedded Kafka cluster, two taskmanagers of 4 slots; 5 repetitions each.
# Usage (from the repository root, after `swift build`): Benchmarks/failover.sh [repetitions]
# (BIN=.build/release after `swift build -c release` for release binaries)
set -euo pipefail
REPS=${1:-5}
B=${BIN:-.build/debug}
DIR=$(mktemp -d)
PORT=$((18000 + RANDOM % 1000))
JM=http://127.0.0.1:$PORT
export STREAM_TOKEN=bench
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT

$B/jobmanager serve --port $PORT --checkpoint-dir "$DIR/ckpt" >"$DIR/jm.log" 2>&1 & PIDS+=($!)
until curl -sf $JM/healthz >/dev/null; do sleep 0.1; done
start_tm() { $B/taskmanager --jobmanager $JM --slots 4 --name "$1" >>"$DIR/$1.log" 2>&1 & PIDS+=($!); echo $! >"$DIR/$1.pid"; }
start_tm tm-a; start_tm tm-b
curl -sf -X POST -H "Authorization: Bearer $STREAM_TOKEN" --data-binary @jobs.yaml $JM/jobs >/dev/null
KAFKA=$(curl -s $JM/overview | python3 -c 'import json,sys; print(json.load(sys.stdin)["bootstrapServers"])')
$B/bss-events generate --bootstrap-servers "$KAFKA" --count 200000 >/dev/null 2>&1

python3 - "$JM" "$DIR" "$REPS" <<'PY'
import json, os, signal, statistics, subprocess, sys, time, urllib.request
jm, d, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
def get(path): return json.load(urllib.request.urlopen(jm + path, timeout=2))
def tasks():
    out = []
    for j in get("/jobs")["jobs"]:
        out += [(j["id"], t) for t in get(f"/jobs/{j['id']}")["tasks"]]
    return out
def tm_id(name):
    return next((t["id"] for t in get("/taskmanagers")["taskmanagers"] if t["host"] == name), None)
def wait(what, cond, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if cond(): return
        time.sleep(0.01)
    sys.exit(f"timed out waiting for {what}")
def start(name):
    p = subprocess.Popen([".build/debug/taskmanager", "--jobmanager", jm, "--slots", "4", "--name", name],
                         stdout=open(f"{d}/{name}.log", "a"), stderr=subprocess.STDOUT)
    return p
procs = {n: int(open(f"{d}/{n}.pid").read()) for n in ("tm-a", "tm-b")}
import atexit
atexit.register(lambda: [os.kill(p, signal.SIGKILL) for p in procs.values() if not subprocess.run(["kill", "-0", str(p)], capture_output=True).returncode])
results = {}
placements = {}
for kind, sig in (("kill -9", signal.SIGKILL), ("SIGSTOP", signal.SIGSTOP)):
    times = []
    for r in range(reps):
        victim = "tm-a"
        wait(f"{victim} registered", lambda: tm_id(victim) is not None)
        vid = tm_id(victim)
        # Tasks come to a (re)started taskmanager at the jobs' next checkpoint (10 s).
        wait(f"tasks running on {victim}", lambda: any(t["state"] == "RUNNING" and t["taskmanager"] == vid for _, t in tasks())
             and all(t["state"] == "RUNNING" for _, t in tasks()))
        moving = [(j, t["partition"]) for j, t in tasks() if t["taskmanager"] == vid]
        t0 = time.monotonic()
        os.kill(procs[victim], sig)
        def elsewhere(states):
            now = {(j, t["partition"]): t for j, t in tasks()}
            return all(now[m]["state"] in states and now[m]["taskmanager"] not in (None, vid) for m in moving)
        # Placed: the jobmanager knows and assigned them; RUNNING: restored, scanned, consuming.
        wait("tasks placed elsewhere", lambda: elsewhere(("DEPLOYING", "RUNNING")))
        placed = time.monotonic() - t0
        wait("tasks running elsewhere", lambda: elsewhere(("RUNNING",)))
        times.append(time.monotonic() - t0)
        placements.setdefault(kind, []).append(placed)
        print(f"{kind} #{r + 1}: {len(moving)} task(s) placed elsewhere after {placed:.3f} s, RUNNING after {times[-1]:.3f} s", flush=True)
        if sig == signal.SIGSTOP:
            os.kill(procs[victim], signal.SIGCONT)
            time.sleep(0.5)
            os.kill(procs[victim], signal.SIGKILL)
        wait(f"{victim} gone", lambda: tm_id(victim) is None)
        procs[victim] = start(victim).pid
    results[kind] = times
for kind, times in results.items():
    p = placements[kind]
    print(f"{kind}: RUNNING elsewhere median {statistics.median(times):.3f} s, max {max(times):.3f} s; "
          f"placed median {statistics.median(p):.3f} s, max {max(p):.3f} s over {len(times)}")
PY
