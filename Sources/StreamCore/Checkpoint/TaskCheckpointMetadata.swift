import Foundation

/// Everything of a task's checkpoint besides its keyed state, stored in the same RocksDB
/// snapshot so state and positions are taken atomically.
public struct TaskCheckpointMetadata: Codable, Sendable, Equatable {
    public var checkpointId: Int64
    public var job: String
    public var topic: String
    public var partition: Int32
    /// Next source offset to read.
    public var nextOffset: Int64
    /// Bounded runs: the source end offset seen when the run first started.
    public var endOffset: Int64?
    /// A bounded task that consumed its input and emitted everything.
    public var finished: Bool
    public var watermark: Int64
    public var sinks: [SinkPartitionPosition]
    public var counters: TaskCounters
    /// `StateKeys.layout` of the engine that wrote it; absent in checkpoints of engines before
    /// state namespaces, whose state this engine cannot read.
    public var stateLayout: Int? = StateKeys.layout

    func encoded() -> [UInt8] { Array(try! JSONEncoder().encode(self)) }

    static func decode(_ bytes: [UInt8]) throws -> TaskCheckpointMetadata {
        try JSONDecoder().decode(TaskCheckpointMetadata.self, from: Data(bytes))
    }
}

/// Where a task's exactly-once bookkeeping stood on one output partition at a checkpoint.
public struct SinkPartitionPosition: Codable, Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// Sequence number the task's next record on this partition carries.
    public var nextSequence: Int64
    /// No record of this task with a sequence >= nextSequence lies below this offset: recovery
    /// scans from here for what a failed attempt already wrote.
    public var scanFrom: Int64
}

public struct TaskCounters: Codable, Sendable, Equatable {
    public var recordsIn: Int64 = 0
    public var badRecords: Int64 = 0
    public var lateRecords: Int64 = 0
    public var recordsOut: Int64 = 0
    public init() {}
}
