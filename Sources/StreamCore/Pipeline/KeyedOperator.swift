/// The contract of a job's keyed, stateful step (a tumbling/sliding window or a session window),
/// in the spirit of Flink's StreamOperator and Arroyo's operator trait: records come in through
/// the concrete type's `process` (statically dispatched by `Pipeline`, per record); what happens
/// once per batch, watermark, checkpoint or restore goes through this protocol.
///
/// An operator's state lives under its own prefix of the task's RocksDB store (`StateKeys`).
protocol KeyedOperator: AnyObject {
    /// Event time of the partition.
    var watermarkMs: Int64 { get }
    /// Rows of state held in memory.
    var rowsInMemory: Int { get }
    /// Keys the operator holds state for.
    var keysHeld: Int { get }
    /// Rows moved from memory to the store by spilling, in total.
    var rowsSpilled: Int { get }
    /// Moves the watermark (idle partition, end of a bounded run) and fires what it passes.
    func advanceWatermark(to value: Int64, into batch: inout OutputBatch) throws
    /// Hands the batch to `drain` whenever a firing fills it with `records` records.
    func drainOutput(every records: Int, _ drain: @escaping (inout OutputBatch) throws -> Void)
    /// Lets state exceed memory, spilling to `store` past `maxRowsInMemory` rows (where it can).
    func attach(store: RocksDBStore, maxRowsInMemory: Int)
    /// Adds the state changed since the last checkpoint to `batch`.
    func snapshotChanges(into batch: RocksDBWriteBatch)
    /// Rebuilds the state from a restored store, given the restored watermark.
    func restore(from store: RocksDBStore, watermark: Int64) throws
}

extension WindowOperator: KeyedOperator {
    var watermarkMs: Int64 { watermark.current }
    var keysHeld: Int { keys.count }
}

extension SessionWindowOperator: KeyedOperator {
    var watermarkMs: Int64 { watermark.current }
    var keysHeld: Int { keys.count }
    /// Sessions are not spilled.
    var rowsSpilled: Int { 0 }
}
