import StreamCore

/// A submitted job as the jobmanager runs it: its record, its parsed definition and the
/// placement of each of its tasks (one per source partition).
struct ManagedJob: Sendable {
    var record: JobRecord
    let spec: JobSpec
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
        tasks = (0..<partitions[spec.source.topic]!).map { TaskPlacement(key: TaskKey(jobId: record.id, partition: $0)) }
        checkpoints = CheckpointCoordinator(intervalMs: spec.checkpointIntervalMs)
    }

    var id: String { record.id }
    var activeTasks: Int { tasks.filter(\.isActive).count }

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
