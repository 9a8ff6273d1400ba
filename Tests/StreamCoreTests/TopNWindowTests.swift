import Foundation
import Testing
@testable import StreamCore

/// A window step with `topN` writes, per firing, the results an independent ranking of the same
/// step's full output picks (value first, key bytes among equals, nulls last), in rank order,
/// each the full result's bytes with its rank added; spilled state ranks the same.
@Suite struct TopNWindowTests {
    /// 3,000 records over 500 keys and several windows, slightly out of order; amounts on half
    /// of them, so some keys have no amount in a window (null averages and minima).
    func feed(_ h: OperatorHarness) {
        for i in 0..<3_000 {
            let t = Int64(i) * 1_000 - Int64((i * 7) % 4) * 1_000
            h.send("K\((i * 37) % 500)", at: t, type: i % 3 == 0 ? "PURCHASE" : "VIEW",
                   amount: i % 2 == 0 ? Double(i % 13) : nil)
        }
    }

    func results(_ spec: JobSpec, store: RocksDBStore? = nil, maxRows: Int = .max) -> [OperatorHarness.Emitted] {
        let h = OperatorHarness(spec, store: store, maxRowsInMemory: maxRows)
        feed(h)
        h.endOfInput()
        return h.results()
    }

    /// The model: per window of the full output (in firing order), its results sorted by the
    /// ranked field, then key bytes; the first `n`, and with ties those equal to the n-th.
    func expectedTop(_ full: [OperatorHarness.Emitted], _ topN: TopNSpec) -> [String] {
        var windows: [String] = []
        var byWindow: [String: [OperatorHarness.Emitted]] = [:]
        for r in full {
            let window = "\(r.data["windowStart"]!) \(r.data["windowEnd"]!)"
            if byWindow[window] == nil { windows.append(window) }
            byWindow[window, default: []].append(r)
        }
        func value(_ r: OperatorHarness.Emitted) -> Double? {
            if topN.by == "totalAmount / eventCount" {
                return (r.data["totalAmount"] as! NSNumber).doubleValue / (r.data["eventCount"] as! NSNumber).doubleValue
            }
            return (r.data[topN.by] as? NSNumber)?.doubleValue
        }
        func before(_ a: Double?, _ b: Double?) -> Bool {
            guard let a else { return false }
            guard let b else { return true }
            return topN.descending ? a > b : a < b
        }
        return windows.flatMap { window -> [String] in
            let sorted = byWindow[window]!.sorted { a, b in
                let (va, vb) = (value(a), value(b))
                if before(va, vb) || before(vb, va) { return before(va, vb) }
                return Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
            }
            var kept = Array(sorted.prefix(topN.n))
            if topN.withTies, let last = kept.last {
                kept += sorted.dropFirst(topN.n).prefix { !before(value(last), value($0)) }
            }
            return kept.enumerated().map { rank, r in
                r.raw.replacingOccurrences(of: "}}", with: ",\"rank\":\(rank + 1)}}", options: .backwards,
                                           range: r.raw.index(r.raw.endIndex, offsetBy: -2)..<r.raw.endIndex)
            }
        }
    }

    static let rankings = [
        TopNSpec(n: 3, by: "totalAmount"),
        TopNSpec(n: 5, by: "minAmount", descending: false),
        TopNSpec(n: 2, by: "purchases", withTies: true),
        TopNSpec(n: 1, by: "avgAmount", descending: false, withTies: true),
        TopNSpec(n: 4, by: "totalAmount / eventCount"),
    ]

    @Test(arguments: [WindowSpec.tumbling(sizeMs: 5 * minute), .sliding(sizeMs: 10 * minute, slideMs: minute)], rankings)
    func firingWritesTheBestResultsOfTheFullOutputInRankOrder(window: WindowSpec, topN: TopNSpec) {
        let plain = windowJob(window, outOfOrdernessMs: 2_000)
        var ranked = plain
        ranked.window!.topN = topN
        let full = results(plain)
        let expected = expectedTop(full, topN)
        #expect(full.count > 1_000)
        #expect(expected.count < full.count / 2, "the ranking leaves results out")
        #expect(results(ranked).map(\.raw) == expected)
    }

    @Test func tiesAreKeptOnlyWhenAsked() {
        var spec = windowJob(.tumbling(sizeMs: 5 * minute), outOfOrdernessMs: 2_000)
        spec.window!.topN = TopNSpec(n: 1, by: "eventCount")
        let single = results(spec)
        spec.window!.topN!.withTies = true
        let tied = results(spec)
        // Every key has 6 events per 5-minute window: all of a window's keys tie for the first rank.
        #expect(single.allSatisfy { $0.data["rank"] as? Int == 1 })
        #expect(tied.count > single.count * 10)
        #expect(tied.map { $0.data["rank"] as? Int ?? 0 }.max()! > 1)
    }

    @Test func spilledWindowsRankTheSameAsWindowsInMemory() throws {
        var spec = windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute), outOfOrdernessMs: 2_000)
        spec.window!.topN = TopNSpec(n: 4, by: "totalAmount", withTies: true)
        try withRocksDBTestDirectory { dir in
            let inMemory = results(spec).map(\.raw)
            let spilled = results(spec, store: try RocksDBStore(path: dir), maxRows: 40).map(\.raw)
            #expect(inMemory.count > 50)
            #expect(spilled == inMemory)
        }
    }
}
