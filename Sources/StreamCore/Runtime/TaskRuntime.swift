/// The record loop every task runs, whatever its connectors: a batch from the source, each record
/// through the pipeline, what it emitted to the sink. The Kafka task (`StreamTask`, in local and
/// cluster mode), the file replay (`FileReplayTask`) and the engine-only benchmark all run their
/// records through this object; what differs between them (checkpoints, transactions, part files
/// published at the end) sits around it.
///
/// Source and sink are called once per batch through their protocols; per record the source calls
/// the loop's closure, and the pipeline is called directly. Confined to its task's thread.
public final class TaskRuntime {
    public let pipeline: Pipeline
    public let source: any RecordSource
    public let sink: any RecordSink
    public var counters: TaskCounters
    private var output = OutputBatch()
    /// Emitted records past which the loop hands the batch to the sink mid-batch, so a batch of
    /// input that emits much (dead letters, a stateless job) keeps its output bounded.
    private let outputLimit = 8_192

    public init(pipeline: Pipeline, source: any RecordSource, sink: any RecordSink, counters: TaskCounters = TaskCounters()) {
        self.pipeline = pipeline
        self.source = source
        self.sink = sink
        self.counters = counters
        // A firing of many windows hands its results over as it goes.
        pipeline.drainOutput(every: outputLimit) { [unowned self] batch in try deliver(&batch) }
    }

    /// Reads one batch and runs it through the pipeline; returns the records the source handed
    /// over. Everything they emitted has gone to the sink when it returns.
    @discardableResult
    public func runBatch(maxRecords: Int, timeoutMs: Int32) throws -> Int {
        // The record loop works on locals: the class's stored properties, touched per record
        // inside the source's closure, would cost a dynamic exclusivity check each time.
        let pipeline = pipeline, limit = outputLimit
        var output = OutputBatch()
        swap(&output, &self.output)
        var recordsIn: Int64 = 0, bad: Int64 = 0, late: Int64 = 0
        // Control records of a repartition topic are not records: counted by the pipeline, per batch.
        let controlsBefore = pipeline.controlRecords
        defer {
            swap(&output, &self.output)
            counters.recordsIn += recordsIn - (pipeline.controlRecords - controlsBefore)
            counters.badRecords += bad
            counters.lateRecords += late
        }
        let n = try source.read(maxRecords: maxRecords, timeoutMs: timeoutMs, lookingAhead: Pipeline.prefetchDistance,
                                { pipeline.prefetchState(ofKey: $0) }) { record in
            recordsIn += 1
            switch try pipeline.process(key: record.key, value: record.value, offset: record.offset, into: &output) {
            case .bad: bad += 1
            case .late: late += 1
            case .passed, .filtered, .control: break
            }
            if output.records.count >= limit { try deliver(&output) }
        }
        if !output.isEmpty { try deliver(&output) }
        return n
    }

    /// Moves the watermark (an idle partition, plus infinity at the end of bounded input) and
    /// hands what fired to the sink.
    public func advanceWatermark(to value: Int64) throws {
        try pipeline.advanceWatermark(to: value, into: &output)
        try flush()
    }

    /// Hands what is still in the output batch to the sink.
    public func flush() throws {
        if !output.isEmpty { try deliver(&output) }
    }

    private func deliver(_ batch: inout OutputBatch) throws {
        try sink.send(batch)
        counters.recordsOut += Int64(batch.records.count)
        batch.removeAll()
        CrashPoint.reached(.outputProduced, task: pipeline.job.spec.checkpointName)
    }
}
