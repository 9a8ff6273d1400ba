#!/usr/bin/env python3
"""PyFlink (Table API / SQL) peer of bench-jobs.yaml's customer-session-windows: per-customer SESSION
windows with a 5-minute gap over the customer events of gen_events.py.

Run with the Flink peer folder on PYTHONPATH (it provides flink_common); flink-side-by-side.sh does:
  PYTHONPATH=$PEER $PEER/.local/venv/bin/python Benchmarks/flink/flink_customer_sessions.py --input F -p 1 --n N
Source and watermark as flink_customer_analytics.py (event time `time`, WATERMARK = time - 5 s).
Output columns: window_start, window_end, customerId, cnt, cnt_amount, sum_amount, avg_amount,
min_amount, max_amount (the eventTypes countBy of ours has no column here).
"""
import os

import flink_common as fc  # first: starts the process-internal clock

SINK_COLS = ("window_start TIMESTAMP(3), window_end TIMESTAMP(3), customerId STRING, cnt BIGINT, "
             "cnt_amount BIGINT, sum_amount DOUBLE, avg_amount DOUBLE, min_amount DOUBLE, max_amount DOUBLE")


def main():
    a = fc.base_args(__doc__).parse_args()
    env, jvm_start = fc.make_env(a)
    src = f"""
    CREATE TABLE events (
      specversion STRING,
      id STRING,
      `source` STRING,
      `type` STRING,
      `time` TIMESTAMP_LTZ(3),
      subject STRING,
      datacontenttype STRING,
      data ROW<customerId STRING, eventType STRING, amount DOUBLE, channel STRING>,
      WATERMARK FOR `time` AS `time` - INTERVAL '5' SECOND
    ) WITH (
      'connector' = 'filesystem',
      'path' = 'file://{os.path.abspath(a.input)}',
      'format' = 'json',
      'json.timestamp-format.standard' = 'ISO-8601',
      'json.fail-on-missing-field' = 'false',
      'json.ignore-parse-errors' = 'false'
    )"""
    sel = """
    SELECT window_start, window_end, customerId,
           COUNT(*)      AS cnt,
           COUNT(amount) AS cnt_amount,
           SUM(amount)   AS sum_amount,
           AVG(amount)   AS avg_amount,
           MIN(amount)   AS min_amount,
           MAX(amount)   AS max_amount
    FROM TABLE(SESSION(TABLE ev PARTITION BY customerId, DESCRIPTOR(`time`), INTERVAL '5' MINUTES))
    GROUP BY window_start, window_end, customerId"""
    view = "CREATE TEMPORARY VIEW ev AS SELECT `time`, data.customerId AS customerId, data.amount AS amount FROM events"
    fc.run(a, env, jvm_start, [src, view], sel, SINK_COLS, "customer_session_5m")


if __name__ == "__main__":
    main()
