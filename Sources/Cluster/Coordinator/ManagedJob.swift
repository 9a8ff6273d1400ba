import Logging
import StreamCore

/// A submitted job as the jobmanager runs it: its record, its parsed definition and the
/// placement of each of its tasks (one per source partition of each of its stages).
struct ManagedJob: Sendable {
    var record: JobRecord
    let spec: JobSpec
    /// What it runs as (`JobSpec.stages`): the job itself, or its two stages.
    let stages: [JobSpec]
    /// Partition count of every topic of the job.
    let partitions: [String: Int32]
    var tasks: [TaskPlacement]
    var checkpoints: CheckpointCoordinator
    /// Task failures and losses, oldest first, the last `exceptionHistorySize` (not kept across
    /// jobmanager restarts).
    var exceptions: [RestViews.JobException] = []
    static let exceptionHistorySize = 100
    /// Savepoint and stop operations, oldest first, the last `savepointHistorySize` (not kept
    /// across jobmanager restarts); only the last may be in progress, at `savepointStep`.
    var savepoints: [SavepointOperation] = []
    var savepointStep = SavepointOperation.Step.done
    /// Where the savepoint in progress goes.
    var savepointParent = ""
    static let savepointHistorySize = 20

    init(record: JobRecord, spec: JobSpec, partitions: [String: Int32]) {
        self.record = record
        self.spec = spec
        self.partitions = partitions
        stages = spec.stages
        tasks = stages.enumerated().flatMap { s, stage in
            (0..<(partitions[stage.source.topic] ?? 0)).map { TaskPlacement(key: TaskKey(jobId: record.id, partition: $0, stage: s)) }
        }
        checkpoints = CheckpointCoordinator(intervalMs: spec.checkpointIntervalMs)
    }

    var id: String { record.id }

    /// Where the task `key` names is in `tasks`.
    func index(of key: TaskKey) -> Int? {
        guard stages.indices.contains(key.stage) else { return nil }
        var first = 0
        for stage in stages[..<key.stage] { first += Int(partitions[stage.source.topic] ?? 0) }
        let i = first + Int(key.partition)
        return tasks.indices.contains(i) && tasks[i].key == key ? i : nil
    }

    /// The stage task `t` runs.
    func stage(of t: TaskPlacement) -> JobSpec { stages[t.key.stage] }

    /// How messages name a task: its partition, and in a job that repartitions its stage.
    func label(_ key: TaskKey) -> String {
        stages.count > 1 ? "\(key.partition) of stage \(key.stage + 1)" : "\(key.partition)"
    }

    /// Log metadata naming a task the same way.
    func metadata(_ key: TaskKey) -> Logger.Metadata {
        var meta: Logger.Metadata = ["partition": "\(key.partition)"]
        if stages.count > 1 { meta["stage"] = "\(key.stage + 1)" }
        return meta
    }
    /// Slots its active tasks need: a slot runs one task of each stage.
    var slotsNeeded: Int {
        stages.indices.map { s in tasks.filter { $0.isActive && $0.key.stage == s }.count }.max() ?? 0
    }

    mutating func remember(_ exception: RestViews.JobException) {
        exceptions.append(exception)
        if exceptions.count > Self.exceptionHistorySize { exceptions.removeFirst(exceptions.count - Self.exceptionHistorySize) }
    }

    /// The savepoint or stop under way, if any.
    var activeSavepoint: SavepointOperation? {
        savepointStep == .done ? nil : savepoints.last
    }

    var isStopping: Bool { activeSavepoint?.kind == .stop }

    var launch: TaskLaunch {
        TaskLaunch(spec: spec, bounded: record.bounded, partitions: partitions)
    }
}
