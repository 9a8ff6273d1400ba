import Testing
@testable import StreamCore

/// A stateful step's state lives under its step id: what one step wrote, a step of another id
/// does not read, and the store names the steps it holds state for.
@Suite struct StateNamespaceTests {
    private func job(stepId: String) -> JobSpec {
        var spec = windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 0))
        spec.window!.id = stepId
        return spec
    }

    /// Runs `spec` over a few records and checkpoints its window state into `store`.
    private func writeState(of spec: JobSpec, into store: RocksDBStore) throws -> Int {
        let h = OperatorHarness(spec)
        for (i, c) in ["c1", "c2", "c3"].enumerated() { h.send(c, at: Int64(i) * 1_000) }
        let batch = RocksDBWriteBatch()
        h.op.snapshotChanges(into: batch)
        try store.write(batch)
        return h.op.rowsInMemory
    }

    @Test func stateIsRestoredOnlyByTheStepWithItsId() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            let written = try writeState(of: job(stepId: "per-minute"), into: store)
            #expect(written == 3)

            let same = OperatorHarness(job(stepId: "per-minute"))
            try same.op.restore(from: store, watermark: 2_000)
            #expect(same.op.rowsInMemory == written)

            let other = OperatorHarness(job(stepId: "per-hour"))
            try other.op.restore(from: store, watermark: 2_000)
            #expect(other.op.rowsInMemory == 0)
        }
    }

    @Test func storeListsTheStepsWithState() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            #expect(try StateNamespace.stepIds(in: store) == [])
            // Ids of one length and of another, and one that extends another.
            for id in ["b", "a", "ab", "window"] { _ = try writeState(of: job(stepId: id), into: store) }
            try store.put(StateKeys.metadata, [1])
            #expect(try StateNamespace.stepIds(in: store) == ["a", "b", "ab", "window"])
        }
    }
}
