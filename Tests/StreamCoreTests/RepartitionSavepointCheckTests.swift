import Foundation
import Testing
@testable import StreamCore

/// A savepoint of a job that repartitions holds the tasks of both stages, each restored into its
/// stage's checkpoints; one taken of another stage layout, or of other partition counts, is refused.
@Suite struct RepartitionSavepointCheckTests {
    /// Re-keyed by event type: two stages, `in` and `test-job.by-type.repartition`.
    static let job = PipelineTests.job(steps: [StepSpec(id: "by-type", operation: .keyBy(FieldPath(dotted: "data.eventType")))])
    static let repartitionTopic = "test-job.by-type.repartition"

    /// A savepoint of two partitions per stage, each task an empty store, under `dir/sp`.
    static func savepoint(in dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: "\(dir)/sp", withIntermediateDirectories: true)
        var tasks: [SavepointManifest.Task] = []
        for stage in 0..<2 {
            for p in Int32(0)..<2 {
                let task = SavepointManifest.Task(partition: p, checkpointId: 3, nextOffset: 10, stage: stage)
                try RocksDBStore(path: "\(dir)/sp/\(task.directoryName)").close()
                tasks.append(task)
            }
        }
        let manifest = SavepointManifest(job: job, tasks: tasks, createdAtMs: 0)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: "\(dir)/sp/\(SavepointManifest.fileName)"))
        return "\(dir)/sp"
    }

    @Test("each task goes to its stage's checkpoints; other partition counts and another stage layout are refused")
    func stages() throws {
        #expect(Self.job.stages.count == 2)
        try withRocksDBTestDirectory { dir in
            let savepoint = try Self.savepoint(in: dir)
            let restored = try Savepoint.restore(from: savepoint, into: "\(dir)/same", job: Self.job,
                                                 partitions: ["in": 2, Self.repartitionTopic: 2], allowNonRestoredState: false)
            #expect(restored.tasks.count == 4)
            for name in ["test-job.stage-1/task-0", "test-job.stage-1/task-1", "test-job.stage-2/task-0", "test-job.stage-2/task-1"] {
                #expect(FileManager.default.fileExists(atPath: "\(dir)/same/\(name)/chk-3"), "\(name)")
            }
            let partitions = #expect(throws: SavepointError.self) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/more", job: Self.job,
                                      partitions: ["in": 2, Self.repartitionTopic: 3], allowNonRestoredState: false)
            }
            #expect(partitions == .otherPartitions(topic: Self.repartitionTopic, partitions: 3, savepointTasks: 2))
            let single = #expect(throws: SavepointError.self) {
                try Savepoint.restore(from: savepoint, into: "\(dir)/single", job: PipelineTests.job(), allowNonRestoredState: false)
            }
            #expect(single == .otherStages(savepointStages: 2, stages: 1))
            #expect(single?.description.contains("a keyBy that repartitions cannot be added or removed across a savepoint") == true)
        }
    }
}
