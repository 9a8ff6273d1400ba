import Foundation

/// One job over one NDJSON file, start to end, on the calling thread: a `TaskRuntime` from an
/// `NDJSONFileSource` to a `PartFileSink`. The file is one partition (one watermark) and each line
/// one record value, through the same loop and `Pipeline` a Kafka task runs.
///
/// There are no checkpoints: a replay that fails is run again from the start, and its output
/// files only get their final names once the whole file is done. Bad records go to the dead
/// letters with `topic` the job's source topic (the file stands in for it), `partition` the task
/// index and `offset` the line number.
final class FileReplayTask {
    let spec: JobSpec
    let file: String
    let taskIndex: Int
    private let outputDir: String
    private let maxRowsInMemory: Int
    private let discardOutput: Bool

    init(spec: JobSpec, file: String, taskIndex: Int, outputDir: String, maxRowsInMemory: Int, discardOutput: Bool = false) {
        self.spec = spec
        self.file = file
        self.taskIndex = taskIndex
        self.outputDir = outputDir
        self.maxRowsInMemory = maxRowsInMemory
        self.discardOutput = discardOutput
    }

    /// Where the task's spilled window rows live while it runs; removed when it ends.
    static func stateDirectory(outputDir: String, job: String, taskIndex: Int) -> String {
        "\(outputDir)/.replay-state/\(job)-\(taskIndex)"
    }

    func run() throws -> FileReplayTaskSummary {
        let started = Lease.now()
        let cpuStarted = ReplayClock.threadCPUSeconds()
        let pipeline = Pipeline(job: try CompiledJob.compile(spec).get(), partition: Int32(taskIndex))

        // Window state beyond the memory budget spills to RocksDB, as in a Kafka run; the store
        // is scratch space only, so it goes with the task.
        let stateDir = Self.stateDirectory(outputDir: outputDir, job: spec.name, taskIndex: taskIndex)
        try? FileManager.default.removeItem(atPath: stateDir)
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let store = try RocksDBStore(path: stateDir)
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: stateDir)
        }
        pipeline.attach(store: store, maxRowsInMemory: maxRowsInMemory)

        let sink: ReplayOutput = discardOutput ? BlackholeSink(spec: spec)
            : try PartFileSink(spec: spec, taskIndex: taskIndex, outputDir: outputDir)
        do {
            let source = try NDJSONFileSource(path: file)
            let runtime = TaskRuntime(pipeline: pipeline, source: source, sink: sink)
            while !source.isExhausted { try runtime.runBatch(maxRecords: 8_192, timeoutMs: 0) }
            // End of the file, as the end of a bounded run: every pending window fires.
            try runtime.advanceWatermark(to: PartitionWatermark.plusInfinity)
            try sink.commit()
            var out = StreamCounts()
            out.result = spec.sinks.indices.reduce(0) { $0 + sink.count(.sink($1)) }
            out.alert = sink.count(.alert)
            out.late = sink.count(.late)
            out.deadLetter = sink.count(.deadLetter)
            let counters = runtime.counters
            return FileReplayTaskSummary(
                job: spec.name, file: file, taskIndex: taskIndex, recordsIn: counters.recordsIn,
                badRecords: counters.badRecords, lateRecords: counters.lateRecords, out: out, bytesIn: source.bytesRead,
                wallSeconds: ReplayClock.seconds(since: started), cpuSeconds: ReplayClock.threadCPUSeconds() - cpuStarted)
        } catch {
            sink.discard()
            throw error
        }
    }
}
