import Foundation
import Testing
@testable import StreamCore

/// `key [start, end) rRevision nEventCount` of a result, times in ms.
private func summary(_ r: SessionHarness.Emitted) -> String {
    let start = r.data["windowStart"] as? String ?? "?", end = r.data["windowEnd"] as? String ?? "?"
    let revision = r.data["revision"] as? Int ?? -1, count = r.data["eventCount"] as? Int ?? -1
    return "\(r.key) [\(start), \(end)) r\(revision) n\(count)"
}

private func session(_ key: String, _ start: Int64, _ end: Int64, r revision: Int, n count: Int) -> String {
    "\(key) [\(RFC3339.format(millis: start)), \(RFC3339.format(millis: end))) r\(revision) n\(count)"
}

private let gap: Int64 = 10_000

private func sessionJob(allowedLatenessMs: Int64 = 0, outOfOrdernessMs: Int64 = 0,
                        rules: [ThresholdRule] = []) -> JobSpec {
    windowJob(.session(gapMs: gap, allowedLatenessMs: allowedLatenessMs), outOfOrdernessMs: outOfOrdernessMs, rules: rules)
}

@Suite struct SessionWindowTests {
    @Test func recordsWithinTheGapMergeIntoOneSessionThatFiresAtItsEnd() {
        let h = SessionHarness(sessionJob())
        h.send("C1", at: 1_000)
        h.send("C1", at: 5_000)
        h.send("C1", at: 14_000)                      // within [5000, 15000): one session [1000, 24000)
        h.send("C2", at: 23_999)                      // W = 23_998: one short of end - 1
        #expect(h.results().isEmpty)
        h.send("C2", at: 24_000)                      // W = 23_999 == end - 1
        let fired = h.take()
        #expect(fired.map(summary) == [session("C1", 1_000, 24_000, r: 0, n: 3)])
        #expect(fired.first?.json["id"] as? String == "test-job:C1:1000:0")
        #expect(fired.first?.json["time"] as? String == RFC3339.format(millis: 24_000))
    }

    @Test func recordAtASessionsEndJoinsItAndOneMillisecondLaterStartsANewOne() {
        let h = SessionHarness(sessionJob(outOfOrdernessMs: 5_000))
        h.send("C1", at: 0)                           // [0, 10000)
        h.send("C1", at: 10_000)                      // t == end: [0, 20000)
        h.send("C1", at: 20_001)                      // t == end + 1: a new session
        h.endOfInput()
        #expect(h.results().map(summary) == [session("C1", 0, 20_000, r: 0, n: 2),
                                             session("C1", 20_001, 30_001, r: 0, n: 1)])
    }

    @Test func withoutOutOfOrdernessARecordAtTheEndJoinsBeforeItsWatermarkFiresTheSession() {
        let h = SessionHarness(sessionJob())
        h.send("C1", at: 0)
        h.send("C1", at: 10_000)                      // judged under W = -1; then W = 9_999 fires nothing
        #expect(h.take().isEmpty)
        h.endOfInput()
        #expect(h.results().map(summary) == [session("C1", 0, 20_000, r: 0, n: 2)])
    }

    @Test func resultIsByteForByteWhatWindowOperatorWritesForTheSameWindow() {
        let sessions = SessionHarness(windowJob(.session(gapMs: minute)))
        let tumbling = OperatorHarness(windowJob(.tumbling(sizeMs: minute)))
        sessions.send("C1", at: 0, type: "PURCHASE", amount: 12.5)
        sessions.endOfInput()
        tumbling.send("C1", at: 0, type: "PURCHASE", amount: 12.5)
        tumbling.endOfInput()
        let expected = tumbling.take().map(\.raw)
        #expect(expected.count == 1)
        #expect(sessions.take().map(\.raw) == expected)
    }

    @Test func lateRecordBridgingTwoFiredSessionsMergesThemAndRefiresWithTheNextRevision() {
        let h = SessionHarness(sessionJob(allowedLatenessMs: minute))
        h.send("C1", at: 0)                           // [0, 10000)
        h.send("C1", at: 15_000)                      // [15000, 25000); W = 14_999 fires the first
        h.send("C1", at: 40_000)                      // W = 39_999 fires the second
        #expect(h.results().map(summary) == [session("C1", 0, 10_000, r: 0, n: 1),
                                             session("C1", 15_000, 25_000, r: 0, n: 1)])
        #expect(h.op.rowsInMemory == 3)
        // [10000, 20000) touches the first's end and overlaps the second: all three merge, and
        // the merged window, which the watermark passed, fires at once.
        #expect(h.send("C1", at: 10_000))
        let refired = h.take()
        #expect(refired.map(summary) == [session("C1", 0, 25_000, r: 1, n: 3)])
        #expect(refired.first?.json["id"] as? String == "test-job:C1:0:1")
        #expect(h.op.rowsInMemory == 2)
        h.endOfInput()
        #expect(h.results().map(summary) == [session("C1", 40_000, 50_000, r: 0, n: 1)])
        #expect(h.op.rowsInMemory == 0)
    }

    @Test func mergingAFiredSessionWithAPendingOneFiresAtTheNewEndWithTheNextRevision() {
        let h = SessionHarness(sessionJob(allowedLatenessMs: minute))
        h.send("C1", at: 0)                           // [0, 10000)
        h.send("C2", at: 10_000)                      // W = 9_999: C1 fires
        h.send("C1", at: 25_000)                      // [25000, 35000), pending; W = 24_999: C2 fires
        #expect(h.results().map(summary) == [session("C1", 0, 10_000, r: 0, n: 1), session("C2", 10_000, 20_000, r: 0, n: 1)])
        h.send("C1", at: 9_000)                       // extends the fired session to an end W passed: at once
        #expect(h.results().map(summary) == [session("C1", 0, 19_000, r: 1, n: 2)])
        h.send("C1", at: 17_000)                      // bridges [0, 19000) (2 firings) and [25000, 35000) (none)
        h.send("C2", at: 34_999)                      // W = 34_998: one short of the merged end - 1
        #expect(h.take().isEmpty)
        h.send("C2", at: 35_000)
        #expect(h.results().map(summary) == [session("C1", 0, 35_000, r: 2, n: 4)])
    }

    @Test func recordLateForItsMergedWindowGoesUnchangedToTheLateStreamAndChangesNothing() {
        let h = SessionHarness(sessionJob())
        h.send("C1", at: 0)
        h.send("C1", at: 30_000)                      // W = 29_999: [0, 10000) fires and is dropped
        #expect(h.results().map(summary) == [session("C1", 0, 10_000, r: 0, n: 1)])
        let keys = h.op.keys.count
        // [5000, 15000) meets no live session and the watermark passed its end - 1.
        #expect(h.send("C1", at: 5_000, amount: 7) == false)
        #expect(h.send("NEW", at: 5_000) == false)
        let out = h.take()
        #expect(out.map(\.stream) == [.late, .late])
        #expect(out.first?.key == "C1" && (out.first?.data["amount"] as? Double) == 7)
        #expect(out.first?.json["time"] as? String == RFC3339.format(millis: 5_000))
        #expect(h.op.keys.count == keys && h.op.rowsInMemory == 1)
        h.endOfInput()
        #expect(h.results().map(summary) == [session("C1", 30_000, 40_000, r: 0, n: 1)])
    }

    @Test func allowedLatenessRefiresEachUpdateAndDropsTheSessionAtItsBound() {
        let h = SessionHarness(sessionJob(allowedLatenessMs: 5_000))
        h.send("C1", at: 0, amount: 2)
        h.send("C1", at: 5_000)                       // [0, 15000)
        h.send("C2", at: 15_000)                      // W = 14_999: C1 fires
        #expect(h.results().map(summary) == [session("C1", 0, 15_000, r: 0, n: 2)])
        h.send("C1", at: 3_000, amount: 5)            // inside it, the end unchanged: refires at once
        let refired = h.results()
        #expect(refired.map(summary) == [session("C1", 0, 15_000, r: 1, n: 3)])
        #expect(refired.first?.data["totalAmount"] as? Double == 7)
        h.send("C1", at: 9_500)                       // extends it to [0, 19500): fires when W reaches 19_499
        #expect(h.take().isEmpty)
        h.send("C2", at: 19_500)
        #expect(h.results().map(summary) == [session("C1", 0, 19_500, r: 2, n: 4)])
        h.send("C3", at: 24_499)                      // W = 24_498: one short of end - 1 + lateness
        #expect(h.op.rowsInMemory == 3)
        h.send("C3", at: 24_500)                      // W = 24_499: dropped
        #expect(h.op.rowsInMemory == 2)
        #expect(h.send("C1", at: 5_000) == false)     // its session is gone: [5000, 15000) is late
        #expect(h.take().map(\.stream) == [.late])
        // A record whose own window is within the lateness opens a session that fires at once.
        #expect(h.send("C1", at: 14_000))
        #expect(h.results().map(summary) == [session("C1", 14_000, 24_000, r: 0, n: 1)])
    }

    @Test func sessionsFiringOnOneAdvanceFireByEndThenKeyBytes() {
        let h = SessionHarness(sessionJob())
        h.send("B", at: 1_000)
        h.send("CUSTOMER-10", at: 1_000)
        h.send("A", at: 1_000)
        h.send("CUSTOMER-1", at: 1_000)
        h.send("Z", at: 500)
        h.send("CUSTOMER", at: 1_000)
        h.send("A", at: 2_000)                        // A's session ends last
        h.send("D", at: 20_000)
        // One firing per end.
        #expect(h.firings.map(\.firstRecord) == [0, 1, 5])
        #expect(h.results().map(\.key) == ["Z", "B", "CUSTOMER", "CUSTOMER-1", "CUSTOMER-10", "A"])
    }

    @Test func aSessionExtendedPastAnotherKeysEndStillFiresAfterIt() {
        let h = SessionHarness(sessionJob())
        h.send("A", at: 0)                            // [0, 10000), its timer at 9_999
        h.send("B", at: 1_000)                        // [1000, 11000)
        h.send("A", at: 5_000)                        // [0, 15000): the timer at 9_999 is early
        h.send("C", at: 30_000)
        #expect(h.results().map(summary) == [session("B", 1_000, 11_000, r: 0, n: 1), session("A", 0, 15_000, r: 0, n: 2)])
    }

    @Test func mergedSessionsAddCountsSumsAveragesExtremesAndCountByCounts() {
        let h = SessionHarness(sessionJob(outOfOrdernessMs: 15_000))
        h.send("C1", at: 0, type: "PURCHASE", amount: 3)
        h.send("C1", at: 1_000)
        h.send("C1", at: 20_000, type: "PURCHASE", amount: 10)
        h.send("C1", at: 21_000, type: "SEARCH", amount: 13)
        #expect(h.op.rowsInMemory == 2)               // [0, 11000) and [20000, 31000)
        h.send("C1", at: 10_500, amount: 25)          // bridges them
        #expect(h.op.rowsInMemory == 1)
        h.endOfInput()
        let r = h.results()
        #expect(r.map(summary) == [session("C1", 0, 31_000, r: 0, n: 5)])
        let data = r.first?.data ?? [:]
        #expect(data["amountCount"] as? Int == 4)
        #expect(data["totalAmount"] as? Double == 51)
        #expect(data["avgAmount"] as? Double == 12.75)
        #expect(data["minAmount"] as? Double == 3)
        #expect(data["maxAmount"] as? Double == 25)
        #expect(data["purchases"] as? Int == 2)
        #expect(r.first?.raw.contains("\"eventTypes\":{\"PAGE_VIEW\":2,\"PURCHASE\":2,\"SEARCH\":1}") == true)
    }

    @Test func mergedCountBysBeyondTheInlineValuesAddPerValue() {
        let h = SessionHarness(sessionJob(outOfOrdernessMs: 15_000))
        let types = (0..<12).map { "T\(String($0 + 100).dropFirst())" }
        // The first session sees T00-T07 once each, the second T04-T11 twice each.
        for type in types[0..<8] { h.send("C1", at: 0, type: type) }
        for type in types[4..<12] { h.send("C1", at: 20_000, type: type); h.send("C1", at: 20_000, type: type) }
        h.send("C1", at: 10_000, type: "T00")         // bridges [0, 10000) and [20000, 30000)
        h.endOfInput()
        let r = h.results()
        var expected: [String: Int] = [:]
        for type in types[0..<8] { expected[type, default: 0] += 1 }
        for type in types[4..<12] { expected[type, default: 0] += 2 }
        expected["T00", default: 0] += 1
        #expect(r.map(summary) == [session("C1", 0, 30_000, r: 0, n: 25)])
        #expect((r.first?.data["eventTypes"] as? [String: Int]) == expected)
    }

    @Test func aRuleAlertsOncePerSessionAcrossRefiresAndMerges() {
        let rules = [ThresholdRule(name: "BIG", metric: "totalAmount", threshold: 100, severity: "HIGH")]
        let h = SessionHarness(sessionJob(allowedLatenessMs: minute, rules: rules))
        h.send("C1", at: 0, amount: 150)
        h.send("C1", at: 25_000, amount: 1)           // W = 24_999: [0, 10000) fires and alerts
        h.send("C1", at: 5_000, amount: 10)           // [0, 15000) refires, still tripping: no second alert
        h.send("C1", at: 15_000, amount: 200)         // bridges [0, 15000) and [25000, 35000)
        h.endOfInput()
        let out = h.take()
        let alerts = out.filter { $0.stream == .alert }
        #expect(alerts.compactMap { $0.json["id"] as? String } == ["test-job:C1:0:BIG"])
        #expect(alerts.first?.data["value"] as? Double == 150)
        #expect(alerts.first?.data["windowEnd"] as? String == RFC3339.format(millis: 10_000))
        #expect(out.filter { $0.stream == .result }.map(summary) == [
            session("C1", 0, 10_000, r: 0, n: 1), session("C1", 0, 15_000, r: 1, n: 2),
            session("C1", 0, 35_000, r: 2, n: 4),
        ])
        // A later session of the key alerts on its own.
        let later = SessionHarness(sessionJob(rules: rules))
        later.send("C1", at: 0, amount: 150)
        later.send("C1", at: 60_000, amount: 150)
        later.endOfInput()
        #expect(later.take().filter { $0.stream == .alert }.compactMap { $0.json["id"] as? String }
                == ["test-job:C1:0:BIG", "test-job:C1:60000:BIG"])
    }

    @Test func endOfBoundedInputFiresEverySessionAndDropsAllState() {
        let h = SessionHarness(sessionJob(allowedLatenessMs: minute))
        h.send("C2", at: 0)
        h.send("C1", at: 100_000)
        h.send("C1", at: 105_000)
        #expect(h.results().map(summary) == [session("C2", 0, 10_000, r: 0, n: 1)])
        h.endOfInput()
        #expect(h.results().map(summary) == [session("C1", 100_000, 115_000, r: 0, n: 2)])
        #expect(h.op.rowsInMemory == 0)
    }
}

/// A checkpoint holds exactly the live sessions, and an operator restored from it continues
/// byte for byte like the uninterrupted run.
@Suite struct SessionSnapshotTests {
    /// 3,000 records over 50 keys, in groups 40 s apart of five rounds, one record per key
    /// each: a session; a second one past the gap (the watermark fires the first); a record
    /// bridging the two (merged, it refires later); one before the start (the start moves);
    /// then for most keys a late record, for the others one extending the end. Checkpoints every
    /// 130 records, so some fall between the merge and the move.
    func feed(_ h: SessionHarness, from: Int = 0, to: Int = 3_000, checkpoint: () throws -> Void = {}) throws {
        for i in from..<to {
            let key = i % 50, round = (i / 50) % 5, group = i / 250
            let offset: Int64 = [0, 12_000, 6_000, -3_000, key % 3 == 0 ? 15_000 : -30_000][round]
            let type = key % 4 == 0 ? "PURCHASE" : "VIEW_\(i % 11)"
            h.send("K\(key)", at: Int64(group) * 40_000 + Int64(key) * 50 + offset, type: type,
                   amount: i % 2 == 0 ? Double(i % 97) : nil)
            if i % 130 == 129 { try checkpoint() }
        }
    }

    @Test func restoredOperatorContinuesExactlyLikeTheUninterruptedRun() throws {
        let rules = [ThresholdRule(name: "BURST", metric: "purchases", threshold: 3, severity: "MEDIUM")]
        let spec = windowJob(.session(gapMs: 8_000, allowedLatenessMs: 10_000), outOfOrdernessMs: 1_000, rules: rules)
        try withRocksDBTestDirectory { dir in
            let original = SessionHarness(spec)
            let store = try RocksDBStore(path: "\(dir)/work")
            // Later checkpoints delete the sessions merged or dropped since the earlier ones.
            try feed(original, to: 1_560) {
                let batch = RocksDBWriteBatch()
                original.op.snapshotChanges(into: batch)
                try store.write(batch)
            }
            try store.createCheckpoint(at: "\(dir)/chk")
            var stored = 0
            try store.scan(prefix: original.op.namespace.key(StateKeys.sessionRow)) { _, _ in
                stored += 1
                return true
            }
            #expect(stored > 0 && stored == original.op.rowsInMemory)
            let before = original.take()
            #expect(before.contains { $0.stream == .late } && before.contains { $0.stream == .alert })
            #expect(before.contains { ($0.data["revision"] as? Int ?? 0) > 0 })

            let restored = SessionHarness(spec)
            try restored.op.restore(from: RocksDBStore(path: "\(dir)/chk"), watermark: original.op.watermark.current)
            #expect(restored.op.rowsInMemory == stored)
            for h in [original, restored] {
                try feed(h, from: 1_560)
                h.endOfInput()
            }
            // A late record is the input as the harness numbered it: compared by key and time.
            func comparable(_ r: SessionHarness.Emitted) -> String {
                r.stream == .late ? "late \(r.key) \(r.json["time"] ?? "")" : r.raw
            }
            let expected = original.take().map(comparable)
            #expect(expected.count > 100 && expected.contains { $0.hasPrefix("late") })
            #expect(restored.take().map(comparable) == expected)
        }
    }
}
