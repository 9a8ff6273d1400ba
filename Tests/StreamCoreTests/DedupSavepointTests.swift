import Foundation
import Testing
@testable import StreamCore

/// A savepoint holding a dedup step's entries: restored into a definition whose step has the same
/// key and within, refused with the reason when either changed, or when the step id now names a window.
@Suite struct DedupSavepointTests {
    static func job(key: String = "data.eventType", withinMs: Int64 = 10_000, stepId: String = "once") -> JobSpec {
        var spec = PipelineTests.job(steps: [StepSpec(id: stepId, operation: .dedup(DedupSpec(key: key, withinMs: withinMs)))],
                                     window: false)
        spec.source.watermark = WatermarkSpec(outOfOrdernessMs: 0)
        return spec
    }

    /// A savepoint of one task whose pipeline of `job` saw two records, under `dir/sp`.
    static func savepoint(of job: JobSpec, in dir: String) throws -> String {
        let run = try PipelineTests.Run(job)
        try run.send("c", at: 0, type: "A")
        try run.send("c", at: 1_000, type: "B")
        try FileManager.default.createDirectory(atPath: "\(dir)/sp", withIntermediateDirectories: true)
        let store = try RocksDBStore(path: "\(dir)/sp/task-0")
        try DedupPipelineTests.checkpoint(run.pipeline, to: store)
        store.close()
        let manifest = SavepointManifest(job: job, tasks: [.init(partition: 0, checkpointId: 1, nextOffset: 2)], createdAtMs: 0)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: "\(dir)/sp/\(SavepointManifest.fileName)"))
        return "\(dir)/sp"
    }

    @Test("the same key and within restore the entries; a changed key or within is refused naming the step and the change")
    func compatibility() throws {
        try withRocksDBTestDirectory { dir in
            let savepoint = try Self.savepoint(of: Self.job(), in: dir)
            let restored = try Savepoint.restore(from: savepoint, into: "\(dir)/same", job: Self.job(), allowNonRestoredState: false)
            #expect(restored.droppedSteps.isEmpty)
            #expect(FileManager.default.fileExists(atPath: "\(dir)/same/test-job/task-0"))

            let key = #expect(throws: SavepointError.self) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/key", job: Self.job(key: "data.customerId"), allowNonRestoredState: false)
            }
            #expect(key == .incompatible(step: "once", changes: ["dedup key data.eventType -> data.customerId"]))
            #expect(key?.description == "step once cannot restore its state: dedup key data.eventType -> data.customerId")
            let within = #expect(throws: SavepointError.self) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/within", job: Self.job(withinMs: 20_000), allowNonRestoredState: false)
            }
            #expect(within == .incompatible(step: "once", changes: ["dedup within 10000 ms -> 20000 ms"]))
            // Nothing was installed for a refused definition.
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/key/test-job/task-0"))
        }
    }

    @Test("a dedup step's state is not restored into a window of its id; without the step it is dropped only when allowed")
    func otherSteps() throws {
        try withRocksDBTestDirectory { dir in
            let savepoint = try Self.savepoint(of: Self.job(), in: dir)
            var window = PipelineTests.job()
            window.window?.id = "once"
            let error = #expect(throws: SavepointError.self) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/window", job: window, allowNonRestoredState: false)
            }
            #expect(error == .incompatible(step: "once", changes: ["dedup -> window"]))

            let without = Self.job(stepId: "other")
            #expect(throws: SavepointError.nonRestoredState(steps: ["once"])) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/without", job: without, allowNonRestoredState: false)
            }
            let dropped = try Savepoint.restore(from: savepoint, into: "\(dir)/dropped", job: without, allowNonRestoredState: true)
            #expect(dropped.droppedSteps == ["once"])
        }
    }

    @Test("a window's state is not restored into a dedup step of its id")
    func windowToDedup() throws {
        var window = PipelineTests.job(window: true)
        window.window?.id = "once"
        #expect(throws: SavepointError.incompatible(step: "once", changes: ["window -> dedup"])) {
            try SavepointCompatibility.check(old: window, new: Self.job(), statefulSteps: ["once"])
        }
    }
}
