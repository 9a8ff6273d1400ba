import StreamCore

/// A task's record loop without a broker: the `TaskRuntime` every task runs, over the job's
/// `Pipeline`, from generated records handed over in batches of `batchSize` (as a consumer hands
/// over a consumed batch, with look-ahead hints within it) to a sink that counts what it gets.
public struct EnginePipeline {
    public struct Counts: Sendable {
        public var recordsIn = 0
        public var badRecords = 0
        public var lateRecords = 0
        public var recordsOut = 0
        public var bytesOut = 0
    }

    public let spec: JobSpec
    public var counts: Counts {
        let c = runtime.counters
        return Counts(recordsIn: Int(c.recordsIn), badRecords: Int(c.badRecords), lateRecords: Int(c.lateRecords),
                      recordsOut: sink.records, bytesOut: sink.bytes)
    }
    private let sink = CountingSink()
    private let batchSize: Int
    private var runtime: TaskRuntime

    public init(spec: JobSpec, batchSize: Int = 4096) {
        self.spec = spec
        self.batchSize = batchSize
        runtime = TaskRuntime(pipeline: Pipeline(job: try! CompiledJob.compile(spec).get(), partition: 0),
                              source: GeneratedSource(nil), sink: sink)
    }

    /// Runs every record of `input`, then ends the run as a bounded run ends (every window fires).
    /// Throws what the operator throws (its spill store, once it has one).
    public mutating func run(_ input: GeneratedInput) throws {
        let source = GeneratedSource(input)
        runtime = TaskRuntime(pipeline: runtime.pipeline, source: source, sink: sink, counters: runtime.counters)
        while !source.isExhausted { try runtime.runBatch(maxRecords: batchSize, timeoutMs: 0) }
        try runtime.advanceWatermark(to: PartitionWatermark.plusInfinity)
    }
}

/// Generated records as a task's source.
private final class GeneratedSource: RecordSource {
    private let input: GeneratedInput?
    private(set) var nextOffset: Int64 = 0

    init(_ input: GeneratedInput?) { self.input = input }

    var isExhausted: Bool { nextOffset >= Int64(input?.count ?? 0) }

    func read(maxRecords: Int, timeoutMs: Int32, lookingAhead distance: Int,
              _ ahead: (UnsafeRawBufferPointer?) -> Void, _ body: (SourceRecord) throws -> Void) throws -> Int {
        guard let input else { return 0 }
        let first = Int(nextOffset), end = min(first + maxRecords, input.count)
        try input.forEach(in: first..<end, lookingAhead: distance, ahead) { i, key, value in
            try body(SourceRecord(key: key, value: value, offset: Int64(i)))
        }
        nextOffset = Int64(end)
        return end - first
    }
}

/// Counts what the runtime hands over, as a sink that sent it would see it.
private final class CountingSink: RecordSink {
    var records = 0
    var bytes = 0

    func send(_ batch: OutputBatch) throws {
        records += batch.records.count
        bytes += batch.writer.bytes.count
    }
}
