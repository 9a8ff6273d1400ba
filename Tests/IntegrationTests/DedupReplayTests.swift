import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// A job definition with a `dedup` step before a window, replayed over an NDJSON file: the window
/// counts each order once however often it was re-sent within the bound, and re-sent orders past
/// it, records without an id and each file's own state behave as documented.
@Suite struct DedupReplayTests {
    static let definition = """
        jobs:
          - name: orders-once
            source:
              topic: orders
              format: json
              key: customer
              time: ts
              fields:
                - { path: customer, type: string, required: true }
                - { path: ts,       type: number, required: true }
                - { path: orderId,  type: string }
                - { path: amount,   type: number }
              watermark: { outOfOrderness: 0s }
            steps:
              - id: once
                dedup: { key: orderId, within: 10m }
              - window: { kind: tumbling, size: 1h }
                aggregate:
                  - { name: orders, count: "*" }
                  - { name: total,  sum: amount }
            sinks:
              - { topic: orders.hourly, format: json }
            late: { topic: orders.late }
            deadLetter: { topic: orders.dead }
        """

    static func order(_ customer: String, minute: Int64, _ id: String?, amount: Double) -> String {
        let idField = id.map { #","orderId":"\#($0)""# } ?? ""
        return #"{"customer":"\#(customer)","ts":\#(minute * 60_000)\#(idField),"amount":\#(amount)}"#
    }

    @Test func dedupBeforeAWindowCountsEachOrderOnceWithinTheBound() throws {
        let dir = temporaryDirectory("replay-dedup")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobs = try JobDefinitionLoader.load(yaml: Self.definition, file: "orders.yaml")
        let a = [
            Self.order("c1", minute: 0, "o1", amount: 10),
            Self.order("c1", minute: 1, "o1", amount: 10),    // re-sent: dropped
            Self.order("c1", minute: 9, "o1", amount: 10),    // still within 10m: dropped
            Self.order("c2", minute: 2, "o2", amount: 5),
            Self.order("c2", minute: 3, nil, amount: 1),      // no id: never deduplicated
            Self.order("c2", minute: 4, nil, amount: 1),
            Self.order("c1", minute: 10, "o1", amount: 10),   // 10m after the first: a first record again
            Self.order("c2", minute: 11, "o2", amount: 5),    // 9m after o2's first: dropped
        ]
        // Another file is another partition, with state of its own: o1 there is a first record.
        let b = [Self.order("c1", minute: 5, "o1", amount: 10)]
        try (a.joined(separator: "\n") + "\n").write(toFile: "\(dir)/a.jsonl", atomically: true, encoding: .utf8)
        try (b.joined(separator: "\n") + "\n").write(toFile: "\(dir)/b.jsonl", atomically: true, encoding: .utf8)
        let out = "\(dir)/out"
        let summary = try FileReplayRunner(jobs: jobs, inputs: ["\(dir)/a.jsonl", "\(dir)/b.jsonl"], outputDir: out,
                                           options: .init(slots: 2)).run()
        #expect(summary.tasks.map(\.recordsIn) == [8, 1])
        func results(_ task: Int) -> Set<String> {
            let text = (try? String(contentsOfFile: "\(out)/orders.hourly/part-orders-once-\(task).jsonl", encoding: .utf8)) ?? ""
            return Set(text.split(separator: "\n").map(String.init))
        }
        #expect(results(0) == [
            #"{"customer":"c1","windowStart":"1970-01-01T00:00:00.000Z","windowEnd":"1970-01-01T01:00:00.000Z","orders":2,"total":20.0,"revision":0}"#,
            #"{"customer":"c2","windowStart":"1970-01-01T00:00:00.000Z","windowEnd":"1970-01-01T01:00:00.000Z","orders":3,"total":7.0,"revision":0}"#,
        ])
        #expect(results(1) == [
            #"{"customer":"c1","windowStart":"1970-01-01T00:00:00.000Z","windowEnd":"1970-01-01T01:00:00.000Z","orders":1,"total":10.0,"revision":0}"#,
        ])
    }
}
