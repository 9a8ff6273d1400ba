import Synchronization

/// Live figures of a running task, written by its slot thread and read by anyone.
public final class TaskMetrics: Sendable {
    public let recordsIn = Atomic<Int64>(0)
    public let recordsOut = Atomic<Int64>(0)
    public let badRecords = Atomic<Int64>(0)
    public let lateRecords = Atomic<Int64>(0)
    public let nextOffset = Atomic<Int64>(0)
    /// The source partition's end: the bounded end offset, else the last high watermark seen (-1 unknown).
    public let endOffset = Atomic<Int64>(-1)
    public let watermark = Atomic<Int64>(Int64.min)
    public let lastCheckpointId = Atomic<Int64>(-1)
    public let lastCheckpointDurationMs = Atomic<Int64>(0)
    public let lastCheckpointBytes = Atomic<Int64>(0)
    /// Transactional mode: the checkpoint the last committed transaction carried (-1 none).
    public let lastCommittedCheckpointId = Atomic<Int64>(-1)
    /// Transactional mode under a jobmanager: its checkpoint whose completion notice the task
    /// waits for, producing nothing (-1 none).
    public let awaitingCommit = Atomic<Int64>(-1)
    public init() {}
}
