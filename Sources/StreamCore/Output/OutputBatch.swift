/// Records a task emitted while processing a batch, in emission order, in one reused buffer:
/// the sink drains it after every consumed batch.
public struct OutputBatch: Sendable {
    /// Which of the job's output topics a record goes to.
    public enum Stream: UInt8, Sendable, CaseIterable {
        case result, alert, late, deadLetter
    }

    public struct Record: Sendable {
        public let stream: Stream
        public let key: Range<Int>
        public let value: Range<Int>
    }

    /// Keys and values of all records, back to back.
    public var writer = JSONWriter(capacity: 1 << 16)
    public private(set) var records: [Record] = []
    /// Reused by encoders that sort a few entries per record (countBy objects).
    var countScratch: [CountEntry] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty }

    public mutating func removeAll() {
        writer.reset()
        records.removeAll(keepingCapacity: true)
    }

    /// Starts a record: appends its key; the caller then writes the value with `writer`.
    @inline(__always)
    mutating func beginRecord(key: UnsafeRawBufferPointer) -> (keyStart: Int, valueStart: Int) {
        let keyStart = writer.bytes.count
        writer.append(key)
        return (keyStart, writer.bytes.count)
    }

    @inline(__always)
    mutating func endRecord(_ stream: Stream, _ marks: (keyStart: Int, valueStart: Int)) {
        records.append(Record(stream: stream, key: marks.keyStart..<marks.valueStart,
                              value: marks.valueStart..<writer.bytes.count))
    }

    /// A record passed through unchanged (late records).
    mutating func append(_ stream: Stream, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let marks = beginRecord(key: key)
        writer.append(value)
        endRecord(stream, marks)
    }

    /// Key and value bytes of record `i`, valid until the batch changes.
    public func withRecord<R>(_ i: Int, _ body: (Stream, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let r = records[i]
        return try writer.bytes.withUnsafeBytes { all in
            try body(r.stream, UnsafeRawBufferPointer(rebasing: all[r.key]), UnsafeRawBufferPointer(rebasing: all[r.value]))
        }
    }
}
