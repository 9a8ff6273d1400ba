#!/usr/bin/env python3
"""PyFlink (Table API / SQL) peer of examples/nexmark: the Nexmark queries in the SQL of the
nexmark repository's Flink versions, over the NDJSON events of `bss-events nexmark`.

Run with the Flink peer folder on PYTHONPATH (it provides flink_common); flink-side-by-side.sh does:
  PYTHONPATH=$PEER $PEER/.local/venv/bin/python Benchmarks/flink/flink_nexmark.py --query q1 --input F -p 1 --n N
Source: one table of all events (event_type, dateTime, person, auction, bid rows), the view `bid`
of its bids, as the nexmark repository's DDL; event time `dateTime`, WATERMARK = dateTime - 4 s.
"""
import os

import flink_common as fc  # first: starts the process-internal clock

CHANNEL_ID = "REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)"

# query -> (SELECT over `bid`, sink columns with types)
QUERIES = {
    "q0": ("SELECT auction, bidder, price, `dateTime`, extra FROM bid",
           "auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP_LTZ(3), extra STRING"),
    "q1": ("SELECT auction, bidder, 0.908 * price AS price, `dateTime`, extra FROM bid",
           "auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), `dateTime` TIMESTAMP_LTZ(3), extra STRING"),
    "q2": ("SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0",
           "auction BIGINT, price BIGINT"),
    "q21": (f"""SELECT auction, bidder, price, channel,
                 CASE WHEN LOWER(channel) = 'apple' THEN '0'
                      WHEN LOWER(channel) = 'google' THEN '1'
                      WHEN LOWER(channel) = 'facebook' THEN '2'
                      WHEN LOWER(channel) = 'baidu' THEN '3'
                      ELSE {CHANNEL_ID} END AS channel_id
               FROM bid
               WHERE {CHANNEL_ID} IS NOT NULL OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu')""",
            "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, channel_id STRING"),
    "q22": ("""SELECT auction, bidder, price, channel, SPLIT_INDEX(url, '/', 3) AS dir1,
                      SPLIT_INDEX(url, '/', 4) AS dir2, SPLIT_INDEX(url, '/', 5) AS dir3 FROM bid""",
            "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, dir1 STRING, dir2 STRING, dir3 STRING"),
    "q5": ("""SELECT AuctionBids.auction, AuctionBids.num
              FROM (SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
                    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                    GROUP BY auction, window_start, window_end) AS AuctionBids
              JOIN (SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
                    FROM (SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
                          FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                          GROUP BY auction, window_start, window_end) AS CountBids
                    GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids
              ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
                 AND AuctionBids.num >= MaxBids.maxn""",
           "auction BIGINT, num BIGINT"),
    "q11": ("""SELECT bidder, count(*) AS bid_count, SESSION_START(`dateTime`, INTERVAL '10' SECOND) AS starttime,
                      SESSION_END(`dateTime`, INTERVAL '10' SECOND) AS endtime
               FROM bid GROUP BY bidder, SESSION(`dateTime`, INTERVAL '10' SECOND)""",
            "bidder BIGINT, bid_count BIGINT, starttime TIMESTAMP(3), endtime TIMESTAMP(3)"),
    # count_char(extra, 'c'), a Java UDF in the nexmark repository, as the same built-ins our job uses.
    "q14": ("""SELECT auction, bidder, 0.908 * price AS price,
                      CASE WHEN HOUR(`dateTime`) >= 8 AND HOUR(`dateTime`) <= 18 THEN 'dayTime'
                           WHEN HOUR(`dateTime`) <= 6 OR HOUR(`dateTime`) >= 20 THEN 'nightTime'
                           ELSE 'otherTime' END AS bidTimeType,
                      `dateTime`, extra, CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')) AS c_counts
               FROM bid WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000""",
            "auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), bidTimeType STRING, `dateTime` TIMESTAMP_LTZ(3), "
            "extra STRING, c_counts INT"),
    "q15": ("""SELECT DATE_FORMAT(`dateTime`, 'yyyy-MM-dd') AS `day`,
                      count(*) AS total_bids,
                      count(*) FILTER (WHERE price < 10000) AS rank1_bids,
                      count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
                      count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
                      count(DISTINCT bidder) AS total_bidders,
                      count(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
                      count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
                      count(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
                      count(DISTINCT auction) AS total_auctions,
                      count(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
                      count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
                      count(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
               FROM bid GROUP BY DATE_FORMAT(`dateTime`, 'yyyy-MM-dd')""",
            "`day` STRING, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT, "
            "total_bidders BIGINT, rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT, "
            "total_auctions BIGINT, rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT"),
}


def main():
    ap = fc.base_args(__doc__)
    ap.add_argument("--query", required=True, choices=sorted(QUERIES))
    a = ap.parse_args()
    env, jvm_start = fc.make_env(a)
    src = f"""
    CREATE TABLE events (
      event_type INT,
      `dateTime` TIMESTAMP_LTZ(3),
      person ROW<id BIGINT, name STRING, emailAddress STRING, creditCard STRING, city STRING, state STRING,
                 `dateTime` TIMESTAMP_LTZ(3), extra STRING>,
      auction ROW<id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT,
                  `dateTime` TIMESTAMP_LTZ(3), expires TIMESTAMP_LTZ(3), seller BIGINT, category BIGINT, extra STRING>,
      bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, `dateTime` TIMESTAMP_LTZ(3),
              extra STRING>,
      WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
    ) WITH (
      'connector' = 'filesystem',
      'path' = 'file://{os.path.abspath(a.input)}',
      'format' = 'json',
      'json.timestamp-format.standard' = 'ISO-8601',
      'json.fail-on-missing-field' = 'false',
      'json.ignore-parse-errors' = 'false'
    )"""
    view = """CREATE TEMPORARY VIEW bid AS
      SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, `dateTime`, bid.extra
      FROM events WHERE event_type = 2"""
    select, columns = QUERIES[a.query]
    if a.sink == "collect":
        collect(a, env, [src, view], select)
    else:
        fc.run(a, env, jvm_start, [src, view], select, columns, f"nexmark_{a.query}")


def collect(a, env, ddls, select):
    """The query's rows as CSV, header `c0,c1,...`. The peer harness's collect sorts by a third
    column some queries lack; the comparison is of multisets, so order does not matter here."""
    for ddl in ddls:
        env.execute_sql(ddl)
    pdf = env.sql_query(select).to_pandas()
    with open(a.out, "w") as f:
        f.write(",".join(f"c{i}" for i in range(len(pdf.columns))) + "\n")
        for r in pdf.itertuples(index=False, name=None):
            f.write(",".join(fc.fmt(None if (v is None or v != v) else v) for v in r) + "\n")


if __name__ == "__main__":
    main()
