"""Markdown table of Benchmarks/flink-side-by-side.sh runs: medians per job and engine.

Ours: `eps` is events / the replay's own wall time (net of process start-up and job loading);
"process" is events / the whole process's wall time. Flink: `eps_net` is events / Flink's net job
runtime, `eps_total` events / the Python process's time from first import to job end (both from
its RESULT line). Peak RSS: ours from /usr/bin/time (else the process's own getrusage figure),
Flink's JVM VmHWM.
"""
import argparse
import json
import statistics as st
from collections import defaultdict


def med(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return st.median(values) if values else None


def rate(v):
    return "-" if v is None else f"{v:,.0f}"


def main():
    a = argparse.ArgumentParser()
    a.add_argument("jsonl")
    a.add_argument("--series", help="only runs of this series (default: the latest)")
    args = a.parse_args()
    runs = [json.loads(line) for line in open(args.jsonl) if line.strip()]
    series = args.series or max(r["series"] for r in runs)
    by = defaultdict(list)
    for r in runs:
        if r["series"] != series:
            continue
        if r["rc"] != 0 or "events" not in r:
            print(f"FAILED RUN ({r['engine']} {r['bench_job']} round {r['round']}, rc {r['rc']}): see {r['log']}")
            continue
        if r["engine"] == "swift-stream":
            r["eps_process"] = r["events"] / r["process_wall_s"]
            r["rss_mb"] = r["max_rss_kb"] / 1024 if r.get("max_rss_kb") else r.get("peak_rss_mb")
        by[(r["bench_job"], r["engine"])].append(r)

    print(f"series {series}, medians over rounds\n")
    print("| job | events | ours events/s (process) | ours events/s (net of start-up) | Flink eps_net | Flink eps_total "
          "| ratio net (ours / Flink) | ratio whole process | our peak RSS MB | Flink JVM peak RSS MB | rounds (ours/Flink) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for job in sorted({j for j, _ in by}):
        ours, flink = by.get((job, "swift-stream"), []), by.get((job, "flink"), [])
        events = (ours or flink)[0]["events"]
        o_proc, o_net = med(ours, "eps_process"), med(ours, "eps")
        f_net, f_total = med(flink, "eps_net"), med(flink, "eps_total")
        ratio_net = f"{o_net / f_net:.1f}x" if o_net and f_net else "-"
        ratio_proc = f"{o_proc / f_total:.1f}x" if o_proc and f_total else "-"
        o_rss, f_rss = med(ours, "rss_mb"), max((r["jvm_peak_rss_mb"] for r in flink if r.get("jvm_peak_rss_mb")), default=None)
        print(f"| {job} | {events:,} | {rate(o_proc)} | {rate(o_net)} | {rate(f_net)} | {rate(f_total)} | {ratio_net} "
              f"| {ratio_proc} | {rate(o_rss)} | {rate(f_rss)} | {len(ours)}/{len(flink)} |")


if __name__ == "__main__":
    main()
