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
    /// Nanoseconds the task spent reading and processing batches that had records (Flink's busy time).
    public let busyTimeNs = Atomic<Int64>(0)
    /// Nanoseconds the task waited on its sink: a full producer queue, the flush of a checkpoint
    /// (Flink's back-pressured time). Whatever is neither busy nor back-pressured is idle.
    public let backPressuredTimeNs = Atomic<Int64>(0)
    /// Window state: rows held in memory, and the keys the task holds state for.
    public let stateRowsInMemory = Atomic<Int64>(0)
    public let keysHeld = Atomic<Int64>(0)
    /// Window rows moved from memory to RocksDB by spilling, in total.
    public let stateRowsSpilled = Atomic<Int64>(0)
    /// Records each filter or dedup step dropped, by step index; copied from the pipeline once per batch.
    public let filteredByStep = Mutex<[Int64]>([])
    /// While the task's clients reach no broker: what librdkafka last said (the task stalls).
    public let kafkaError = Mutex<String?>(nil)
    public init() {}
}
