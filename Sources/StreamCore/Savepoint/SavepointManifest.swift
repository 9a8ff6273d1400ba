import Foundation

/// `manifest.json` of a savepoint: the definition that wrote it and where each task stood.
public struct SavepointManifest: Codable, Sendable, Equatable {
    public struct Task: Codable, Sendable, Equatable {
        public var partition: Int32
        /// The task checkpoint copied into `directoryName`.
        public var checkpointId: Int64
        /// Next source offset the restored task reads.
        public var nextOffset: Int64
        /// The task's index in `JobSpec.stages` of a job that repartitions; nil otherwise.
        public var stage: Int?

        /// `task-<partition>`, or `stage-<n>-task-<partition>` for a task of stage n.
        public var directoryName: String {
            stage.map { "stage-\($0 + 1)-task-\(partition)" } ?? "task-\(partition)"
        }
    }
    public var job: JobSpec
    public var tasks: [Task]
    public var createdAtMs: Int64

    static let fileName = "manifest.json"

    public static func read(_ dir: String) throws -> SavepointManifest {
        guard let data = FileManager.default.contents(atPath: "\(dir)/\(fileName)") else {
            throw SavepointError.notASavepoint(dir)
        }
        return try JSONDecoder().decode(SavepointManifest.self, from: data)
    }
}

public enum SavepointError: Error, Equatable, CustomStringConvertible {
    case notASavepoint(String)
    case otherJob(String, savepointJob: String)
    case noCheckpoint(String)
    case incompatible(step: String, changes: [String])
    case nonRestoredState(steps: [String])
    case otherPartitions(topic: String, partitions: Int32, savepointTasks: Int)
    /// Taken of a job of one stage and restored into one of two, or the other way round.
    case otherStages(savepointStages: Int, stages: Int)

    public var description: String {
        switch self {
        case .notASavepoint(let dir): "\(dir) is not a savepoint (no \(SavepointManifest.fileName))"
        case .otherJob(let job, let savepointJob): "savepoint belongs to job \(savepointJob), not \(job)"
        case .noCheckpoint(let path): "task \(path) has no completed checkpoint to put in a savepoint"
        case .incompatible(let step, let changes):
            "step \(step) cannot restore its state: \(changes.joined(separator: "; "))"
        case .nonRestoredState(let steps):
            "savepoint holds state of step(s) \(steps.joined(separator: ", ")) that the new definition does not have; "
                + "allowNonRestoredState drops it"
        case .otherPartitions(let topic, let partitions, let tasks):
            "savepoint has \(tasks) task(s) but topic \(topic) has \(partitions) partition(s): state is kept per partition"
        case .otherStages(let saved, let stages):
            "savepoint is of a job of \(saved) stage(s), the definition runs as \(stages): a keyBy that repartitions "
                + "cannot be added or removed across a savepoint (stage 2 reads other offsets)"
        }
    }
}
