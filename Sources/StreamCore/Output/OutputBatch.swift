/// Records a task emitted while processing a batch, in emission order, in one reused buffer:
/// the sink drains it after every consumed batch.
public struct OutputBatch: Sendable {
    /// Which of the job's outputs a record goes to: one of its sinks, the alerts of its rules, its
    /// late records or its dead letters.
    public struct Stream: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let deadLetter = Stream(rawValue: 0)
        public static let late = Stream(rawValue: 1)
        public static let alert = Stream(rawValue: 2)
        /// The job's first sink: where a job with one sink writes its results.
        public static let result = sink(0)
        /// At most this many sinks per job.
        public static let maxSinks = 64
        public static func sink(_ index: Int) -> Stream { Stream(rawValue: UInt8(3 + index)) }
        /// Every stream a job with `sinks` sinks may use, by raw value.
        public static func count(sinks: Int) -> Int { 3 + sinks }

        /// A stage-1 task's watermark (`WatermarkControl`): the sink writes it into every partition
        /// of the repartition topic.
        public static let watermarkControl = Stream(rawValue: 255)

        /// The sink index, for a sink's stream.
        public var sinkIndex: Int? { rawValue >= 3 && self != .watermarkControl ? Int(rawValue) - 3 : nil }
        /// Window results and alerts carry the time their window fired.
        public var isFiringOutput: Bool { rawValue >= 2 && self != .watermarkControl }
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
    /// Each window firing: the index of the first record it emitted and when it began (wall-clock
    /// ms). Its results and alerts are the records up to the next firing's first.
    public private(set) var firings: [(firstRecord: Int, atMs: Int64)] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty }

    /// Empties the batch. A firing in progress (the batch is drained mid-firing) goes on at the
    /// next batch's first record.
    public mutating func removeAll() {
        writer.reset()
        records.removeAll(keepingCapacity: true)
        if let last = firings.last {
            firings.removeAll(keepingCapacity: true)
            firings.append((0, last.atMs))
        }
    }

    /// A window begins firing now: the records it emits from here on are its results and alerts.
    mutating func beginFiring(atMs: Int64) {
        if let last = firings.last, last.firstRecord == records.count {
            firings[firings.count - 1].atMs = atMs
        } else {
            firings.append((records.count, atMs))
        }
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
