import Testing
@testable import StreamCore

/// `countDistinct`: the exact number of distinct values per key and window, over the records its
/// `where` lets by, through every path a window row takes (key blocks, merged sessions, a
/// checkpoint's restore, a threshold rule).
@Suite struct CountDistinctTests {
    private func job(_ window: WindowSpec, rules: [ThresholdRule] = []) -> JobSpec {
        var spec = windowJob(window, outOfOrdernessMs: 0, rules: rules)
        spec.window!.aggregations = [
            AggregationSpec(name: "eventCount", kind: .count),
            AggregationSpec(name: "types", kind: .countDistinct, operand: "data.eventType"),
            AggregationSpec(name: "typesButLogin", kind: .countDistinct, operand: "data.eventType",
                            condition: "data.eventType <> 'LOGIN'"),
        ]
        return spec
    }

    /// `key events/types/typesButLogin` of each result.
    private func summaries<Op>(_ h: Harness<Op>) -> [String] {
        h.results().map { "\($0.key) \($0.data["eventCount"] ?? "?")/\($0.data["types"] ?? "?")/\($0.data["typesButLogin"] ?? "?")" }
    }

    /// Ten of the customer-analytics kinds' values, well past the eight counted inside the row.
    private let manyTypes = (0..<10).map { "T\($0)" }

    @Test func tumblingWindowCountsEachValueOnceAndHonoursWhere() {
        let h = OperatorHarness(job(.tumbling(sizeMs: minute, allowedLatenessMs: 0)))
        for (i, type) in ["LOGIN", "VIEW", "LOGIN", "BUY", "VIEW"].enumerated() { h.send("C1", at: Int64(i) * 1_000, type: type) }
        h.send("C2", at: 500, type: "LOGIN")
        for (i, type) in (manyTypes + manyTypes).enumerated() { h.send("C3", at: Int64(i) * 100, type: type) }
        h.endOfInput()
        #expect(summaries(h) == ["C1 5/3/2", "C2 1/1/0", "C3 20/10/10"])
    }

    @Test func slidingWindowsEachCountTheirOwnValues() {
        let h = OperatorHarness(job(.sliding(sizeMs: 2 * minute, slideMs: minute, allowedLatenessMs: 0)))
        h.send("C1", at: 10_000, type: "A")
        h.send("C1", at: minute + 10_000, type: "B")
        h.send("C1", at: minute + 20_000, type: "A")
        h.endOfInput()
        // Windows ending at 1, 2 and 3 minutes: {A}, {A, B}, {B, A}.
        #expect(summaries(h) == ["C1 1/1/1", "C1 3/2/2", "C1 2/2/2"])
    }

    @Test func sessionsBridgedByALateRecordCountTheUnionOfTheirValues() {
        let h = SessionHarness(job(.session(gapMs: 10_000, allowedLatenessMs: 60_000)))
        h.send("C1", at: 0, type: "A")
        h.send("C1", at: 1_000, type: "B")
        h.send("C1", at: 15_000, type: "B")
        h.send("C1", at: 16_000, type: "C")
        h.send("C2", at: 50_000, type: "A")              // watermark past both sessions: they fire
        #expect(summaries(h) == ["C1 2/2/2", "C1 2/2/2"])
        h.send("C1", at: 8_000, type: "B")               // within the gap of both: one session
        h.endOfInput()
        #expect(summaries(h).first == "C1 5/3/3")
    }

    @Test func restoredStateGoesOnCountingTheSameValues() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            let spec = job(.tumbling(sizeMs: minute, allowedLatenessMs: 0))
            let before = OperatorHarness(spec, store: store)
            for (i, type) in (manyTypes.prefix(9) + ["LOGIN"]).enumerated() { before.send("C1", at: Int64(i) * 1_000, type: type) }
            let batch = RocksDBWriteBatch()
            before.pipeline.snapshotChanges(into: batch)
            try store.write(batch)

            let after = OperatorHarness(spec, store: store)
            try after.pipeline.restore(from: store, watermark: 9_000)
            after.send("C1", at: 20_000, type: "T0")         // seen before the checkpoint
            after.send("C1", at: 21_000, type: "T9")         // new
            after.endOfInput()
            #expect(summaries(after) == ["C1 12/11/10"])
        }
    }

    @Test func aRuleComparesTheDistinctCount() {
        let rule = ThresholdRule(name: "VARIED", metric: "types", threshold: 3, severity: "LOW")
        let h = OperatorHarness(job(.tumbling(sizeMs: minute, allowedLatenessMs: 0), rules: [rule]))
        for type in ["A", "B", "A", "B"] { h.send("C1", at: 1_000, type: type) }
        for type in ["A", "B", "C"] { h.send("C2", at: 1_000, type: type) }
        h.endOfInput()
        let alerts = h.take().filter { $0.stream == .alert }
        #expect(alerts.map(\.key) == ["C2"])
    }
}
