import Foundation
import Testing
@testable import StreamCore

@Suite struct TumblingWindowTests {
    let size = 5 * minute

    @Test func firesOnceTheWatermarkReachesEndMinusOneAndNotBefore() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        h.send("C1", at: 1_000)
        // W = 304_999 - 5_001 = 299_998: one short of end - 1.
        h.send("C2", at: size + 4_999)
        #expect(h.results().isEmpty)
        // W = 299_999 == end - 1: [0, 300000) fires.
        h.send("C2", at: size + 5_000)
        let fired = h.results()
        #expect(fired.map(\.key) == ["C1"])
        #expect(fired.first?.data["windowEnd"] as? String == "1970-01-01T00:05:00.000Z")
    }

    @Test func recordOnTheBoundaryCountsInTheNextWindow() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        h.send("C1", at: size - 1)
        h.send("C1", at: size)
        h.endOfInput()
        let fired = h.results()
        #expect(fired.map { $0.data["eventCount"] as? Int } == [1, 1])
        #expect(fired.map { $0.data["windowStart"] as? String } == ["1970-01-01T00:00:00.000Z", "1970-01-01T00:05:00.000Z"])
    }

    @Test func recordForAWindowTheWatermarkReachedIsLateAndGoesUnchangedToTheLateStream() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        h.send("C1", at: size + 5_000)          // W = end - 1 of [0, 5 min)
        #expect(h.send("C1", at: size - 1) == false)
        let out = h.take()
        #expect(out.map(\.stream) == [.late])
        #expect((out.first?.json["time"] as? String) == "1970-01-01T00:04:59.999Z")
        h.endOfInput()
        #expect(h.results().map { $0.data["eventCount"] as? Int } == [1])
    }

    @Test func aggregatesAsSpecSectionThreeShows() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        let base: Int64 = 1_762_250_400_000
        for amount in [3.0, 25.0, 10.0, 13.0] { h.send("C000123", at: base + 1_000, type: "PURCHASE", amount: amount) }
        for _ in 0..<3 { h.send("C000123", at: base + 2_000) }
        h.endOfInput()
        let r = h.take()
        #expect(r.count == 1)
        let json = r[0].json, data = r[0].data
        #expect(json["id"] as? String == "test-job:C000123:1762250400000:0")
        #expect(json["time"] as? String == "2025-11-04T10:05:00.000Z")
        #expect(json["subject"] as? String == "C000123")
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["datacontenttype"] as? String == "application/json")
        #expect(json["source"] as? String == "/stream/test" && json["type"] as? String == "test.window")
        #expect(data["customerId"] as? String == "C000123")
        #expect(data["windowStart"] as? String == "2025-11-04T10:00:00.000Z")
        #expect(data["eventCount"] as? Int == 7)
        #expect(data["amountCount"] as? Int == 4)
        #expect(data["totalAmount"] as? Double == 51.0)
        #expect(data["avgAmount"] as? Double == 12.75)
        #expect(data["minAmount"] as? Double == 3.0)
        #expect(data["maxAmount"] as? Double == 25.0)
        #expect(data["purchases"] as? Int == 4)
        #expect((data["eventTypes"] as? [String: Int]) == ["PAGE_VIEW": 3, "PURCHASE": 4])
        // In value byte order, though PURCHASE came first.
        #expect(r[0].raw.contains("\"eventTypes\":{\"PAGE_VIEW\":3,\"PURCHASE\":4}"))
        #expect(data["revision"] as? Int == 0)
    }

    @Test func countByBeyondTheValuesARowKeepsInlineCountsEachValueInByteOrder() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        // 12 types, first seen in reverse byte order: ids 8-11 (T03...T00) live in the list.
        let types = (0..<12).reversed().map { "T" + String($0 + 100).dropFirst() }
        for (n, type) in types.enumerated() {
            for _ in 0...n { h.send("C1", at: 1_000, type: type) }
        }
        h.endOfInput()
        let r = h.results()
        var expected: [String: Int] = [:]
        for (n, type) in types.enumerated() { expected[type] = n + 1 }
        #expect((r.first?.data["eventTypes"] as? [String: Int]) == expected)
        let object = types.sorted().map { "\"\($0)\":\(expected[$0]!)" }.joined(separator: ",")
        #expect(r.first?.raw.contains("\"eventTypes\":{\(object)}") == true)
    }

    @Test func amountStatisticsAreNullAndTotalZeroWithoutAmounts() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        h.send("C1", at: 0)
        h.endOfInput()
        let data = h.results()[0].data
        #expect(data["amountCount"] as? Int == 0)
        #expect(data["totalAmount"] as? Double == 0)
        #expect(data["avgAmount"] is NSNull && data["minAmount"] is NSNull && data["maxAmount"] is NSNull)
    }

    @Test func windowsFiringOnOneWatermarkAdvanceFireInEndOrderAndKeysInByteOrder() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0))
        h.send("B", at: 2 * minute + 1)
        h.send("A", at: 2 * minute + 2)
        h.send("Z", at: 1)
        h.endOfInput()
        let fired = h.results()
        #expect(fired.map(\.key) == ["A", "B"])
        #expect(h.take().isEmpty)
    }

    @Test func keysSharingTheirFirstEightBytesFireInFullByteOrder() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0))
        let keys = ["CUSTOMER-2", "zeta", "CUSTOMER-10a", "CUSTOMERS", "CUSTOMER", "\u{DC}ber", "CUSTOMER-10", "CUSTOMER-1", "CUSTOMER!"]
        for (i, key) in keys.enumerated() { h.send(key, at: Int64(i)) }
        h.endOfInput()
        let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(h.results().map(\.key) == expected)
    }

    @Test func aWindowOfThousandsOfKeysFiresInFullByteOrder() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0))
        var keys = (0..<2_000).map { "C\(String(1_000_000 + $0 * 7_919 % 1_000_000).dropFirst())" }
        keys += (0..<500).map { "CUSTOMER-\($0 * 37 % 500)" } + (0..<300).map { "K\($0 * 11 % 300)" }
        keys += (0..<1_000).map { "CUSTOMER-ID-\($0 * 7 % 1_000)" }
        keys += ["CUSTOMER", "CUSTOMERS", "\u{DC}ber", "zeta", "A", "AB", "A-"]
        // Sent in an order unrelated to byte order, so the result's order comes from the sort alone.
        for (i, key) in keys.enumerated() { h.send(key, at: Int64(i % 1_000)) }
        h.endOfInput()
        let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(h.results().map(\.key) == expected)
    }

    @Test func everyResultIsCoveredByTheFiringOfItsWindowAlsoAfterABatchIsDrainedMidFiring() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0))
        var firingsPerBatch: [[(firstRecord: Int, atMs: Int64)]] = []
        h.op.drainOutput(every: 3) { batch in
            firingsPerBatch.append(batch.firings)
            batch.removeAll()
        }
        for customer in 0..<7 { h.send("C\(customer)", at: 1_000) }
        let before = WallClock.nowMs()
        h.send("C0", at: minute + 1)
        h.send("C0", at: 2 * minute + 1)
        let after = WallClock.nowMs()
        // The first window's 7 results span three batches; each begins inside that firing.
        #expect(firingsPerBatch.count == 2)
        #expect(firingsPerBatch.allSatisfy { $0.count == 1 && $0[0].firstRecord == 0 })
        let firstWindow = firingsPerBatch[0][0].atMs
        #expect(before <= firstWindow && firstWindow <= after && firingsPerBatch[1][0].atMs == firstWindow)
        // Left in the batch: the first window's last result, still under its firing, then the
        // second window's result under a firing of its own.
        let rest = h.firings
        #expect(rest.map(\.firstRecord) == [0, 1])
        #expect(rest.first?.atMs == firstWindow && (rest.last?.atMs ?? 0) >= firstWindow)
        #expect(h.take().map(\.key) == ["C6", "C0"])
    }

    @Test func endOfBoundedInputFiresEveryPendingWindow() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: size)))
        h.send("C1", at: 0)
        h.send("C1", at: 3 * size)
        #expect(h.results().count == 1)
        h.endOfInput()
        #expect(h.results().count == 1)
        #expect(h.op.windows.isEmpty)
    }
}

@Suite struct AllowedLatenessTests {
    @Test func lateButAllowedRecordRefiresWithTheFullResultAndTheNextRevision() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 10_000), outOfOrdernessMs: 0))
        h.send("C1", at: 1_000, amount: 2)
        h.send("C1", at: minute + 1)                // W = end: [0, 1 min) fires, revision 0
        #expect(h.results().map { $0.data["revision"] as? Int } == [0])
        h.send("C1", at: 30_000, amount: 5)        // W < end - 1 + lateness: refires at once
        let refired = h.results()
        #expect(refired.map { $0.data["revision"] as? Int } == [1])
        #expect(refired.first?.data["eventCount"] as? Int == 2)
        #expect(refired.first?.data["totalAmount"] as? Double == 7)
        #expect(refired.first?.json["id"] as? String == "test-job:C1:0:1")
    }

    @Test func keyNewToAFiredWindowFiresAtOnceAsRevisionZero() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 10_000), outOfOrdernessMs: 0))
        h.send("C1", at: minute + 1)
        h.send("C1", at: 1)
        #expect(h.send("C2", at: 2))
        #expect(h.results().map(\.key) == ["C1", "C2"])
    }

    @Test func stateIsDroppedAndRecordsAreLateOnceTheWatermarkPassesTheLatenessBound() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 10_000), outOfOrdernessMs: 0))
        h.send("C1", at: 1)
        h.send("C1", at: minute + 9_999)     // W = 69_998 < 59_999 + 10_000
        #expect(h.op.windows.count == 2)
        h.send("C1", at: minute + 10_000)    // W = 69_999: [0, 1 min) is late
        #expect(h.op.windows.count == 1)
        #expect(h.send("C1", at: 5) == false)
    }
}

@Suite struct SlidingWindowTests {
    let job = windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute), outOfOrdernessMs: 0)

    @Test func eachRecordUpdatesTenWindowsWhichFireOneByOne() {
        let h = OperatorHarness(job)
        h.send("C1", at: 30 * minute)
        h.endOfInput()
        let fired = h.results()
        #expect(fired.count == 10)
        let starts = fired.compactMap { $0.json["id"] as? String }
        #expect(starts.first == "test-job:C1:\(21 * minute):0")
        #expect(starts.last == "test-job:C1:\(30 * minute):0")
    }

    @Test func recordFarAheadOfTheWatermarkFirstClosesTheWindowsItPassesSoItsOwnTakeTheirPlacesInTheKeyBlocks() {
        let h = OperatorHarness(job)
        h.send("C1", at: 30_000)
        h.send("C2", at: 30_000)
        // Its windows would take the places of the first records' windows, which its watermark
        // closes: they fire and leave their places before its windows are created.
        h.send("C1", at: 20 * minute + 30_000)
        #expect(h.op.windows.count == 10 && h.op.windows.allSatisfy { $0.place >= 0 })
        var fired = h.results()
        #expect(fired.count == 20)
        h.send("C2", at: 20 * minute + 40_000)
        h.send("C1", at: 20 * minute + 50_000)
        h.endOfInput()
        fired += h.results()
        var counts: [String: Int] = [:]
        for r in fired { counts[r.json["id"] as? String ?? "?"] = r.data["eventCount"] as? Int }
        var expected: [String: Int] = [:]
        for k in 0..<10 {
            expected["test-job:C1:\((k - 9) * Int(minute)):0"] = 1
            expected["test-job:C2:\((k - 9) * Int(minute)):0"] = 1
            expected["test-job:C1:\((k + 11) * Int(minute)):0"] = 2
            expected["test-job:C2:\((k + 11) * Int(minute)):0"] = 1
        }
        #expect(counts == expected)
    }

    @Test func windowsBeyondTheKeyBlocksPlacesKeepRowsOfTheirOwnAndAggregateLikeTheOthers() {
        // 100 windows per record, more than the key blocks' 64 places.
        let h = OperatorHarness(windowJob(.sliding(sizeMs: 100 * minute, slideMs: minute), outOfOrdernessMs: 0))
        h.send("C1", at: 30_000)
        h.send("C2", at: 40_000)
        h.send("C1", at: 50_000)
        #expect(h.op.windows.count == 100)
        #expect(h.op.windows.contains { $0.place < 0 } && h.op.windows.contains { $0.place >= 0 })
        h.endOfInput()
        var counts: [String: Int] = [:]
        for r in h.results() { counts[r.json["id"] as? String ?? "?"] = r.data["eventCount"] as? Int }
        var expected: [String: Int] = [:]
        for k in 0..<100 {
            expected["test-job:C1:\((k - 99) * Int(minute)):0"] = 2
            expected["test-job:C2:\((k - 99) * Int(minute)):0"] = 1
        }
        #expect(counts == expected)
    }

    @Test func recordLateForSomeWindowsOnlyUpdatesTheOthersAndIsNotALateRecord() {
        let h = OperatorHarness(job)
        h.send("C1", at: 30 * minute)
        h.send("C2", at: 32 * minute)               // W = 32 min - 1: windows ending <= 32 min fired
        let firedBefore = h.results().count
        #expect(firedBefore == 2)                   // [21,31) and [22,32) for C1
        #expect(h.send("C1", at: 30 * minute + 5))  // late for [21,31),[22,32), fine for [23,33)...[30,40)
        #expect(h.take().isEmpty)
        h.endOfInput()
        let c1 = h.results().filter { $0.key == "C1" }
        #expect(c1.count == 8)
        #expect(c1.allSatisfy { $0.data["eventCount"] as? Int == 2 })
    }
}

@Suite struct ThresholdRuleTests {
    let rules = [ThresholdRule(name: "BURST", metric: "purchases", threshold: 3, severity: "MEDIUM"),
                 ThresholdRule(name: "BIG", metric: "totalAmount", threshold: 100, severity: "HIGH"),
                 ThresholdRule(name: "VIEWS", metric: "eventTypes.PAGE_VIEW", threshold: 2, severity: "MEDIUM")]

    @Test func oneBurstAcrossSlidingWindowsRaisesOneAlert() {
        let h = OperatorHarness(windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute), outOfOrdernessMs: 0, rules: rules))
        for i in 0..<3 { h.send("C1", at: 30 * minute + Int64(i), type: "PURCHASE") }
        h.endOfInput()
        let alerts = h.take().filter { $0.stream == .alert }
        #expect(alerts.count == 1)
        let a = alerts[0]
        #expect(a.json["id"] as? String == "test-job:C1:\(21 * minute):BURST")
        #expect(a.data["rule"] as? String == "BURST")
        #expect(a.data["value"] as? Int == 3)
        #expect(a.data["threshold"] as? Int == 3)
        #expect(a.data["severity"] as? String == "MEDIUM")
        #expect(a.json["time"] as? String == RFC3339.format(millis: 31 * minute))
    }

    @Test func ruleTrippingAgainAfterAWindowWhereItDidNotAlertsAgain() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0, rules: rules))
        h.send("C1", at: 0, amount: 150)
        h.send("C1", at: minute, amount: 1)
        h.send("C1", at: 2 * minute, amount: 200)
        h.endOfInput()
        let alerts = h.take().filter { $0.stream == .alert }
        #expect(alerts.compactMap { $0.json["id"] as? String } == ["test-job:C1:0:BIG", "test-job:C1:\(2 * minute):BIG"])
        #expect(alerts.first?.data["value"] as? Double == 150)
        #expect(alerts.first?.data["severity"] as? String == "HIGH")
    }

    @Test func countByValueMetricTrips() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0, rules: rules))
        h.send("C1", at: 0)
        h.send("C1", at: 1)
        h.endOfInput()
        #expect(h.take().filter { $0.stream == .alert }.compactMap { $0.data["rule"] as? String } == ["VIEWS"])
    }

    @Test func countByValueMetricTripsForAValueBeyondThoseARowKeepsInline() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute), outOfOrdernessMs: 0, rules: rules))
        for i in 0..<CountByRow.inlineValues { h.send("C1", at: 0, type: "OTHER_\(i)") }
        h.send("C1", at: 1)
        h.send("C1", at: 2)
        h.endOfInput()
        #expect(h.take().filter { $0.stream == .alert }.compactMap { $0.data["rule"] as? String } == ["VIEWS"])
    }

    @Test func revisionThatKeepsTrippingDoesNotAlertTwiceForOneWindow() {
        let h = OperatorHarness(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: minute), outOfOrdernessMs: 0, rules: rules))
        h.send("C1", at: 0, amount: 150)
        h.send("C1", at: minute + 1)
        h.send("C1", at: 2, amount: 10)
        h.endOfInput()
        let out = h.take()
        #expect(out.filter { $0.stream == .alert && $0.data["rule"] as? String == "BIG" }.count == 1)
        #expect(out.filter { $0.stream == .result && $0.key == "C1" }.compactMap { $0.data["revision"] as? Int }.contains(1))
    }
}
