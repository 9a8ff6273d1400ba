import StreamCore

/// `POST /taskmanagers/{id}/heartbeat`: the taskmanager's tasks as they are now.
public struct HeartbeatRequest: Codable, Sendable {
    public var tasks: [TaskStatus]
    /// The taskmanager's resident memory in bytes.
    public var memoryBytes: Int64?
    public init(tasks: [TaskStatus], memoryBytes: Int64? = nil) {
        self.tasks = tasks
        self.memoryBytes = memoryBytes
    }
}

/// One task's progress, reported with every heartbeat.
public struct TaskStatus: Codable, Sendable {
    public var key: TaskKey
    public var slot: Int
    public var state: Slot.TaskState
    public var attempt: Int
    public var error: String?
    public var nextOffset: Int64
    public var endOffset: Int64
    public var watermark: Int64
    public var recordsIn: Int64
    public var recordsOut: Int64
    public var badRecords: Int64
    public var lateRecords: Int64
    public var lastCheckpointId: Int64
    public var lastCheckpointDurationMs: Int64
    public var lastCheckpointBytes: Int64
    /// Transactional: the checkpoint the task's last committed transaction carried (-1 none).
    public var lastCommittedCheckpointId: Int64
    /// Transactional: the jobmanager's checkpoint the task acknowledged and holds its
    /// transaction for, producing nothing until told it completed.
    public var awaitingCommit: Int64?
    /// Cumulative nanoseconds busy and waiting on the sink (the jobmanager derives ms per second).
    public var busyTimeNs: Int64?
    public var backPressuredTimeNs: Int64?
    public var stateRowsInMemory: Int64?
    public var keysHeld: Int64?
    public var stateRowsSpilled: Int64?
    /// Records each filter or dedup step dropped, by step index.
    public var filteredByStep: [Int64]?
    /// While the task's clients reach no broker: what librdkafka last said.
    public var kafkaError: String?

    public init(key: TaskKey, slot: Int, report: Slot.TaskReport) {
        let m = report.metrics
        self.key = key
        self.slot = slot
        state = report.state
        attempt = report.attempt
        error = report.error
        nextOffset = m.nextOffset.load(ordering: .relaxed)
        endOffset = m.endOffset.load(ordering: .relaxed)
        watermark = m.watermark.load(ordering: .relaxed)
        recordsIn = m.recordsIn.load(ordering: .relaxed)
        recordsOut = m.recordsOut.load(ordering: .relaxed)
        badRecords = m.badRecords.load(ordering: .relaxed)
        lateRecords = m.lateRecords.load(ordering: .relaxed)
        lastCheckpointId = m.lastCheckpointId.load(ordering: .relaxed)
        lastCheckpointDurationMs = m.lastCheckpointDurationMs.load(ordering: .relaxed)
        lastCheckpointBytes = m.lastCheckpointBytes.load(ordering: .relaxed)
        lastCommittedCheckpointId = m.lastCommittedCheckpointId.load(ordering: .relaxed)
        let awaiting = m.awaitingCommit.load(ordering: .relaxed)
        awaitingCommit = awaiting >= 0 ? awaiting : nil
        busyTimeNs = m.busyTimeNs.load(ordering: .relaxed)
        backPressuredTimeNs = m.backPressuredTimeNs.load(ordering: .relaxed)
        stateRowsInMemory = m.stateRowsInMemory.load(ordering: .relaxed)
        keysHeld = m.keysHeld.load(ordering: .relaxed)
        stateRowsSpilled = m.stateRowsSpilled.load(ordering: .relaxed)
        filteredByStep = m.filteredByStep.withLock { $0 }
        kafkaError = m.kafkaError.withLock { $0 }
    }
}

/// The jobmanager's answer: what this taskmanager must change. The jobmanager derives it from
/// the difference between what it wants and what the heartbeat reported, so a lost answer is
/// simply given again with the next heartbeat.
public struct HeartbeatResponse: Codable, Sendable {
    public var commands: [TaskCommand]
    public init(commands: [TaskCommand]) { self.commands = commands }
}

public struct TaskCommand: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case start, checkpoint, checkpointAndStop, cancel
        /// Checkpoint `checkpointId` completed: commit the transaction held for it.
        case commit
    }

    public var kind: Kind
    public var key: TaskKey
    public var slot: Int
    /// checkpoint, checkpointAndStop, commit: the jobmanager's checkpoint id.
    public var checkpointId: Int64?
    /// start: what to run.
    public var launch: TaskLaunch?
    /// checkpointAndStop of a job stopped with drain: fire every window before the checkpoint.
    public var drain: Bool?
}

/// Everything a taskmanager needs to start a task.
public struct TaskLaunch: Codable, Sendable {
    /// The job as the jobmanager validated it: a taskmanager runs this plan, it parses nothing.
    public var spec: JobSpec
    public var bounded: Bool
    /// Partition count of every topic of the job.
    public var partitions: [String: Int32]
}
