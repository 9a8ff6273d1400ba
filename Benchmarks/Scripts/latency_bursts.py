#!/usr/bin/env python3
"""Per burst of results, from a file of `e2e-throughput --latencies DIR`: when it was produced,
how many results it had and their p50 / max latency (from their window's firing, or from
produce for files without it), so the records that make a p99 can be traced to the bursts (and
the part of a burst) they came from.

    Scripts/latency_bursts.py DIR/order-fraud-exactly-once-150000.txt [--gap-ms 50]

A burst is a run of results whose CreateTimes lie within --gap-ms of the previous one's."""
import argparse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--gap-ms", type=int, default=50)
    args = parser.parse_args()
    samples = []
    with open(args.file) as f:
        for line in f:
            fields = [int(x) for x in line.split()]
            created, latency = fields[0], fields[2] if len(fields) > 2 and fields[2] >= 0 else fields[1]
            samples.append((created, latency))
    if not samples:
        print("no samples")
        return
    start = min(c for c, _ in samples)
    bursts = []
    for created, latency in sorted(samples):
        if bursts and created - bursts[-1]["last"] <= args.gap_ms:
            bursts[-1]["last"] = created
            bursts[-1]["latencies"].append(latency)
        else:
            bursts.append({"first": created, "last": created, "latencies": [latency]})
    all_latencies = sorted(latency for _, latency in samples)
    p99 = all_latencies[min(len(all_latencies) - 1, int(len(all_latencies) * 0.99))]
    print(f"{len(samples)} results in {len(bursts)} bursts; p99 {p99} ms")
    print("produced_at_s  produced_over_ms  results  p50_ms  max_ms  above_p99")
    for b in bursts:
        lat = sorted(b["latencies"])
        above = sum(1 for x in lat if x >= p99)
        print(f"{(b['first'] - start) / 1000:13.2f}  {b['last'] - b['first']:16d}  {len(lat):7d}  "
              f"{lat[len(lat) // 2]:6d}  {lat[-1]:6d}  {above:9d}")


if __name__ == "__main__":
    main()
