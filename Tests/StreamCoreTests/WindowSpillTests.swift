import Foundation
import Testing
@testable import StreamCore

/// Window state larger than the memory budget spills to RocksDB and changes nothing in the
/// output: the same records, in the same order, byte for byte.
@Suite struct WindowSpillTests {
    /// 3,000 records over 500 keys and several windows, slightly out of order; 12 event types,
    /// more than a row keeps inline (`CountByRow`), so countBy lists are stored and restored too.
    func feed(_ h: OperatorHarness, from: Int = 0, to: Int = 3_000) {
        for i in from..<to {
            let t = Int64(i) * 1_000 - Int64((i * 7) % 4) * 1_000
            let type = i % 3 == 0 ? "PURCHASE" : "VIEW_\(i % 11)"
            h.send("K\((i * 37) % 500)", at: t, type: type, amount: i % 2 == 0 ? Double(i % 97) : nil)
        }
    }

    func outputs(_ spec: JobSpec, store: RocksDBStore?, maxRows: Int) -> [String] {
        let h = OperatorHarness(spec, store: store, maxRowsInMemory: maxRows)
        feed(h)
        h.endOfInput()
        return h.take().map(\.raw)
    }

    @Test(arguments: [
        WindowSpec.tumbling(sizeMs: 5 * minute),
        .sliding(sizeMs: 10 * minute, slideMs: minute),
        .tumbling(sizeMs: 5 * minute, allowedLatenessMs: minute),
    ])
    func spilledStateGivesTheSameOutputAsStateInMemory(window: WindowSpec) throws {
        let rules = [ThresholdRule(name: "BURST", metric: "purchases", threshold: 3, severity: "MEDIUM")]
        let spec = windowJob(window, outOfOrdernessMs: 2_000, rules: rules)
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            let inMemory = outputs(spec, store: nil, maxRows: .max)
            let spilled = outputs(spec, store: store, maxRows: 40)
            #expect(inMemory.count > 100)
            #expect(spilled == inMemory)
        }
    }

    @Test func evictionKeepsRowsInMemoryWithinTheBudget() throws {
        try withRocksDBTestDirectory { dir in
            let h = OperatorHarness(windowJob(.tumbling(sizeMs: 60 * minute)), store: try RocksDBStore(path: dir), maxRowsInMemory: 100)
            feed(h)
            #expect(h.op.rowsInMemory <= 100)
            #expect(h.op.windows.contains { $0.spilled })
            // Rows moved out of memory are counted (a task metric).
            #expect(h.op.rowsSpilled > 0)
        }
    }

    @Test func keyBlocksOfSlidingWindowsCountInFullAgainstTheBudget() throws {
        try withRocksDBTestDirectory { dir in
            let spec = windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute))
            let h = OperatorHarness(spec, store: try RocksDBStore(path: dir), maxRowsInMemory: 100)
            feed(h)
            let shared = try #require(h.op.windows.first { $0.place >= 0 }?.columns)
            // 500 keys with rows in ~11 windows each: counting only rows in use, blocks of 12
            // rows would have grown to hold every key; the budget bounds the blocks allocated.
            #expect(shared.keys.count <= 100 + 12)
            #expect(h.op.windows.contains { $0.spilled })
        }
    }

    @Test func restoreWithASmallBudgetContinuesExactlyLikeTheUninterruptedRun() throws {
        let spec = windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute), outOfOrdernessMs: 2_000)
        try withRocksDBTestDirectory { dir in
            let original = OperatorHarness(spec, store: try RocksDBStore(path: "\(dir)/work"), maxRowsInMemory: 1_000_000)
            feed(original, to: 1_500)
            _ = original.take()
            let batch = RocksDBWriteBatch()
            original.op.snapshotChanges(into: batch)
            try original.op.store!.write(batch)
            try original.op.store!.createCheckpoint(at: "\(dir)/chk")

            let restored = OperatorHarness(spec)
            let store = try RocksDBStore(path: "\(dir)/chk")
            restored.op.attach(store: store, maxRowsInMemory: 50)
            try restored.op.restore(from: store, watermark: original.op.watermark.current)
            #expect(restored.op.rowsInMemory <= 50)

            for h in [original, restored] {
                feed(h, from: 1_500)
                h.endOfInput()
            }
            let expected = original.take().map(\.raw)
            #expect(expected.count > 100)
            #expect(restored.take().map(\.raw) == expected)
        }
    }
}

/// Output handed to the sink in the middle of a firing is the same records in the same order.
@Suite struct OutputDrainTests {
    @Test func drainingMidFiringKeepsEveryRecordInOrder() throws {
        let spec = windowJob(.sliding(sizeMs: 10 * minute, slideMs: minute), outOfOrdernessMs: 2_000)
        let whole = OperatorHarness(spec)
        let drained = OperatorHarness(spec)
        var sent: [String] = []
        drained.op.drainOutput(every: 7) { batch in
            for i in 0..<batch.records.count {
                batch.withRecord(i) { _, _, value in sent.append(String(decoding: value, as: UTF8.self)) }
            }
            #expect(batch.records.count == 7)
            batch.removeAll()
        }
        for h in [whole, drained] {
            WindowSpillTests().feed(h)
            h.endOfInput()
        }
        let expected = whole.take().map(\.raw)
        #expect(expected.count > 100)
        #expect(sent + drained.take().map(\.raw) == expected)
    }
}
