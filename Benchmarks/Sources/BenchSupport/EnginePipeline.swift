import StreamCore

/// A task's per-record path without a broker: the job's `Pipeline`, the object every task runs,
/// encoding what fires and dead letters into an `OutputBatch`, which is drained every
/// `batchSize` records as the task drains it after each consumed batch, and every 8,192 records
/// in the middle of a firing, as the task hands a firing's results to its sink.
public struct EnginePipeline {
    public struct Counts: Sendable {
        public var recordsIn = 0
        public var badRecords = 0
        public var lateRecords = 0
        public var recordsOut = 0
        public var bytesOut = 0
    }

    /// What the drains counted; a class because the operator's mid-firing drain updates it too.
    private final class Drained {
        var records = 0
        var bytes = 0

        func drain(_ batch: inout OutputBatch) {
            records += batch.records.count
            bytes += batch.writer.bytes.count
            batch.removeAll()
        }
    }

    public let spec: JobSpec
    public var counts: Counts {
        var c = inputCounts
        c.recordsOut = drained.records
        c.bytesOut = drained.bytes
        return c
    }
    private var inputCounts = Counts()
    private let drained = Drained()
    private let pipeline: Pipeline
    private var output = OutputBatch()
    private let batchSize: Int

    public init(spec: JobSpec, batchSize: Int = 4096) {
        self.spec = spec
        self.batchSize = batchSize
        pipeline = Pipeline(job: try! CompiledJob.compile(spec).get(), partition: 0)
        pipeline.drainOutput(every: 8_192) { [drained] batch in drained.drain(&batch) }
    }

    /// Runs every record of `input`, then ends the run as a bounded run ends (every window fires).
    /// Throws what the operator throws (its spill store, once it has one).
    public mutating func run(_ input: GeneratedInput) throws {
        try input.forEach(lookingAhead: Pipeline.prefetchDistance, pipeline.prefetchState) { i, key, value in
            inputCounts.recordsIn += 1
            switch try pipeline.process(key: key, value: value, offset: Int64(i), into: &output) {
            case .bad: inputCounts.badRecords += 1
            case .late: inputCounts.lateRecords += 1
            case .passed, .filtered: break
            }
            if (i + 1) % batchSize == 0 { drained.drain(&output) }
        }
        try pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output)
        drained.drain(&output)
    }
}
