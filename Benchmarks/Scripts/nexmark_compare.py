"""Compares our output of a Nexmark query with Flink's on the same input: the query's columns of
every record, as a multiset (order differs between engines). Numbers are compared to 3 decimals:
Flink's q1 price is a DECIMAL, ours a double. Times are compared to the second (Flink's
collect CSV drops milliseconds); `path|day` compares a time's date only. Exit 1 and the first
differences when they differ.

  python3 nexmark_compare.py QUERY OUR_PART_FILE FLINK_CSV
"""
import csv
import json
import sys
from collections import Counter

# query -> (position in Flink's SELECT, how to read it from our record). By position: the peer
# harness names its CSV columns by splitting the sink's column list at commas, which a
# DECIMAL(23, 3) breaks.
COLUMNS = {
    "q0": [(0, "bid.auction"), (1, "bid.bidder"), (2, "bid.price"), (4, "bid.extra")],
    "q1": [(0, "bid.auction"), (1, "bid.bidder"), (2, "priceEur"), (4, "bid.extra")],
    "q2": [(0, "bid.auction"), (1, "bid.price")],
    "q21": [(0, "bid.auction"), (1, "bid.bidder"), (2, "bid.price"), (3, "bid.channel"), (4, "channelId")],
    "q22": [(0, "bid.auction"), (1, "bid.bidder"), (2, "bid.price"), (3, "bid.channel"), (4, "dir1"), (5, "dir2"), (6, "dir3")],
    "q5": [(0, "auction"), (1, "num")],
    "q11": [(0, "bidder"), (1, "bidCount"), (2, "windowStart"), (3, "windowEnd")],
    "q14": [(0, "bid.auction"), (1, "bid.bidder"), (2, "priceEur"), (3, "bidTimeType"), (6, "cCounts")],
    "q15": [(0, "windowStart|day")] + [(i + 1, name) for i, name in enumerate(
        f"{rank}{what}" for what in ("Bids", "Bidders", "Auctions") for rank in ("total", "rank1", "rank2", "rank3"))],
}


def norm(v):
    if v is None or v == "":
        return ""
    if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == "T":
        return v[:19]  # to the second, as Flink's CSV has it
    try:
        return f"{round(float(v), 3):.3f}"
    except ValueError:
        return str(v)


def lookup(record, path):
    path, _, cut = path.partition("|")
    value = lookup_path(record, path)
    return value[:10] if cut == "day" and isinstance(value, str) else value


def lookup_path(record, path):
    for part in path.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def main():
    query, ours_path, flink_path = sys.argv[1:]
    columns = COLUMNS[query]
    ours = Counter()
    with open(ours_path) as f:
        for line in f:
            record = json.loads(line)
            ours[tuple(norm(lookup(record, path)) for _, path in columns)] += 1
    flink = Counter()
    with open(flink_path) as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            flink[tuple(norm(row[i] if i < len(row) else None) for i, _ in columns)] += 1
    if ours == flink:
        print(f"{query}: same {sum(ours.values())} records in both engines")
        return 0
    print(f"{query}: DIFFERENT: ours {sum(ours.values())} records, Flink {sum(flink.values())}")
    for row in list((ours - flink).elements())[:3]:
        print("  only ours: ", row)
    for row in list((flink - ours).elements())[:3]:
        print("  only Flink:", row)
    return 1


if __name__ == "__main__":
    sys.exit(main())
