import Foundation
import Testing
@testable import StreamCore

/// A dedup step in a job's pipeline: before a window and in a stateless job, NULL key values,
/// and its entries through a checkpoint to RocksDB and a restore into a new pipeline.
@Suite struct DedupPipelineTests {
    static func job(key: String, withinMs: Int64, window: Bool, outOfOrdernessMs: Int64 = 0) -> JobSpec {
        var spec = PipelineTests.job(steps: [StepSpec(id: "once", operation: .dedup(DedupSpec(key: key, withinMs: withinMs)))],
                                     window: window)
        spec.source.watermark = WatermarkSpec(outOfOrdernessMs: outOfOrdernessMs)
        return spec
    }

    @Test("a dedup before a window: only first records per key value are aggregated; NULL key values always pass")
    func beforeWindow() throws {
        let run = try PipelineTests.Run(Self.job(key: "data.amount", withinMs: 60_000, window: true))
        try run.send("c1", at: 0, amount: 5)
        try run.send("c1", at: 1_000, amount: 5)       // a repeat of 5
        try run.send("c2", at: 2_000, amount: 5)       // the key value is the amount, not the customer
        try run.send("c1", at: 3_000)                  // NULL amount: never deduplicated
        try run.send("c1", at: 4_000)
        try run.send("c2", at: 5_000, amount: 7)
        try run.finish()
        #expect(run.outcomes == [.passed, .filtered, .filtered, .passed, .passed, .passed])
        #expect(run.pipeline.filteredByStep == [2])
        let results = run.emitted.filter { $0.stream == .result }.compactMap { $0.json["data"] as? [String: Any] }
        let byCustomer = Dictionary(uniqueKeysWithValues: results.map { ($0["customerId"] as? String ?? "", $0) })
        #expect(byCustomer["c1"]?["eventCount"] as? Int == 3)
        #expect(byCustomer["c1"]?["totalAmount"] as? Double == 5)
        #expect(byCustomer["c2"]?["eventCount"] as? Int == 1)
        #expect(byCustomer["c2"]?["totalAmount"] as? Double == 7)
    }

    @Test("in a stateless job the watermark after the record judges it: a repeat at t + within passes, and the end of input empties the state")
    func statelessBoundary() throws {
        let run = try PipelineTests.Run(Self.job(key: "data.eventType", withinMs: 10_000, window: false))
        try run.send("c1", at: 0, type: "A")
        try run.send("c2", at: 9_999, type: "A")       // W = 9998 < 9999: the entry lives
        try run.send("c3", at: 10_000, type: "A")      // W = 9999: expired, a first record again
        try run.send("c4", at: 10_001, type: "B")
        #expect(run.outcomes == [.passed, .filtered, .passed, .passed])
        #expect(run.pipeline.dedupEntries == 2)
        try run.finish()
        #expect(run.pipeline.dedupEntries == 0)
    }

    @Test("a session job's dedup judges by the watermark the record moves the session window to")
    func beforeSession() throws {
        var spec = Self.job(key: "data.eventType", withinMs: 10_000, window: true)
        spec.window?.window = .session(gapMs: 60_000)
        let run = try PipelineTests.Run(spec)
        try run.send("c1", at: 0, type: "A")
        try run.send("c1", at: 9_999, type: "A")
        try run.send("c1", at: 10_000, type: "A")
        #expect(run.outcomes == [.passed, .filtered, .passed])
    }

    /// The dedup entries the store holds, as (key value, event time).
    static func stored(_ store: RocksDBStore, step: String) throws -> [String: Int64] {
        let namespace = StateNamespace(stepId: step)
        var found: [String: Int64] = [:]
        try store.scan(prefix: namespace.key(StateKeys.dedupEntry)) { key, value in
            var reader = ByteReader(value)
            found[String(decoding: UnsafeRawBufferPointer(rebasing: key[namespace.afterTag...]), as: UTF8.self)] = reader.read(Int64.self)
            return true
        }
        return found
    }

    static func checkpoint(_ pipeline: Pipeline, to store: RocksDBStore) throws {
        let batch = RocksDBWriteBatch()
        pipeline.snapshotChanges(into: batch)
        try store.write(batch)
    }

    @Test("entries survive a checkpoint and restore: repeats of restored entries are still dropped, expired entries are deleted from the store")
    func checkpointRestore() throws {
        try withRocksDBTestDirectory { dir in
            let spec = Self.job(key: "data.eventType", withinMs: 10_000, window: false)
            let original = try PipelineTests.Run(spec)
            let store = try RocksDBStore(path: "\(dir)/work")
            try original.send("c", at: 0, type: "A")
            try original.send("c", at: 5_000, type: "B")
            try original.send("c", at: 9_000, type: "C")
            try Self.checkpoint(original.pipeline, to: store)
            #expect(try Self.stored(store, step: "once") == ["A": 0, "B": 5_000, "C": 9_000])
            try original.send("c", at: 12_000, type: "D")       // W = 11999 passes A's expiry (9999)
            try original.send("c", at: 12_001, type: "A")       // A is a first record again, at 12001
            try Self.checkpoint(original.pipeline, to: store)
            #expect(try Self.stored(store, step: "once") == ["A": 12_001, "B": 5_000, "C": 9_000, "D": 12_000])
            try original.send("c", at: 15_500, type: "E")       // W = 15499: B (14999) expires
            try Self.checkpoint(original.pipeline, to: store)
            #expect(try Self.stored(store, step: "once") == ["A": 12_001, "C": 9_000, "D": 12_000, "E": 15_500])
            try store.createCheckpoint(at: "\(dir)/chk")

            let restored = try PipelineTests.Run(spec)
            let chk = try RocksDBStore(path: "\(dir)/chk")
            try restored.pipeline.restore(from: chk, watermark: original.pipeline.watermark)
            #expect(restored.pipeline.dedupEntries == 4)
            for run in [original, restored] {
                try run.send("c", at: 16_000, type: "C")        // restored entry: dropped
                try run.send("c", at: 16_001, type: "B")        // expired before the checkpoint: passes
                try run.send("c", at: 19_000, type: "C")        // W = 18999 = C's expiry: passes
            }
            #expect(restored.outcomes == [.filtered, .passed, .passed])
            #expect(Array(original.outcomes.suffix(3)) == restored.outcomes)
            try Self.checkpoint(restored.pipeline, to: chk)
            #expect(try Self.stored(chk, step: "once") == ["A": 12_001, "B": 16_001, "C": 19_000, "D": 12_000, "E": 15_500])
        }
    }

    @Test("a restore at a watermark past some entries keeps them out of memory and deletes them at the next checkpoint")
    func restoreDropsExpired() throws {
        try withRocksDBTestDirectory { dir in
            let spec = Self.job(key: "data.eventType", withinMs: 10_000, window: false)
            let original = try PipelineTests.Run(spec)
            let store = try RocksDBStore(path: "\(dir)/work")
            try original.send("c", at: 0, type: "A")
            try original.send("c", at: 5_000, type: "B")
            try Self.checkpoint(original.pipeline, to: store)
            let restored = try PipelineTests.Run(spec)
            try restored.pipeline.restore(from: store, watermark: 10_000)
            #expect(restored.pipeline.dedupEntries == 1)
            try Self.checkpoint(restored.pipeline, to: store)
            #expect(try Self.stored(store, step: "once") == ["B": 5_000])
        }
    }
}
