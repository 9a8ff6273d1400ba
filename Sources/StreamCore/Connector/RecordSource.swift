/// One record as a source hands it over: views into the source's own buffers, valid only during
/// the call that receives it.
public struct SourceRecord {
    /// The record's key (empty when the source has none, as files).
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer
    /// Where the record sits in its partition: a Kafka offset, a file's line number.
    public let offset: Int64

    @inline(__always)
    public init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64) {
        self.key = key
        self.value = value
        self.offset = offset
    }
}

/// A task's input: one partition of records (a Kafka partition, an NDJSON file), read a batch at
/// a time. `TaskRuntime` calls it once per batch through this protocol; the source calls its
/// `body` per record.
public protocol RecordSource: AnyObject {
    /// Hands over up to `maxRecords` records in order, waiting at most `timeoutMs` when none is
    /// there yet; returns how many it handed over. Before each record, `ahead` gets the key of
    /// the record `distance` places later (nil past what it has), so state can start loading;
    /// a source without keys gives no hints.
    func read(maxRecords: Int, timeoutMs: Int32, lookingAhead distance: Int,
              _ ahead: (UnsafeRawBufferPointer?) -> Void, _ body: (SourceRecord) throws -> Void) throws -> Int
    /// A bounded source that handed over its last record.
    var isExhausted: Bool { get }
    /// The offset of the next record it will hand over (what a checkpoint stores).
    var nextOffset: Int64 { get }
}
