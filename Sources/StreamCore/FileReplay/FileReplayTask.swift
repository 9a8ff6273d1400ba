import Foundation

/// One job over one NDJSON file, start to end, on the calling thread: the file is one partition
/// (one watermark) and each line one record value, handled as `SourceTask` handles a Kafka record.
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

    init(spec: JobSpec, file: String, taskIndex: Int, outputDir: String, maxRowsInMemory: Int) {
        self.spec = spec
        self.file = file
        self.taskIndex = taskIndex
        self.outputDir = outputDir
        self.maxRowsInMemory = maxRowsInMemory
    }

    /// Where the task's spilled window rows live while it runs; removed when it ends.
    static func stateDirectory(outputDir: String, job: String, taskIndex: Int) -> String {
        "\(outputDir)/.replay-state/\(job)-\(taskIndex)"
    }

    func run() throws -> FileReplayTaskSummary {
        let started = Lease.now()
        let cpuStarted = ReplayClock.threadCPUSeconds()
        let fields = ReaderFields(spec)
        var reader = CloudEventReader(timeField: spec.timeField, fields: fields.fields)
        let window = WindowOperator(spec: spec, fields: fields)
        let deadLetters = DeadLetterEncoder(job: spec.name, topic: spec.source.topic)
        let partition = Int32(taskIndex)

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
        window.attach(store: store, maxRowsInMemory: maxRowsInMemory)

        let sink = try FileReplaySink(spec: spec, taskIndex: taskIndex, outputDir: outputDir)
        var output = OutputBatch()
        window.drainOutput(every: 8_192) { batch in try sink.write(&batch) }
        var recordsIn: Int64 = 0, bad: Int64 = 0, late: Int64 = 0
        // Files carry no record keys: grouping reads the key field from the value (docs/bss-jobs.md §7).
        let noKey = UnsafeRawBufferPointer(start: nil, count: 0)
        do {
            let bytesIn = try NDJSONLineReader(path: file).forEachLine { line, number, _ in
                recordsIn += 1
                if let error = reader.read(line) {
                    bad += 1
                    deadLetters.encode(into: &output, key: noKey, value: line, partition: partition,
                                       offset: number, error: error.reason)
                } else if try !window.process(reader, key: noKey, value: line, into: &output) {
                    late += 1
                }
                if output.records.count >= 8_192 { try sink.write(&output) }
            }
            // End of the file, as the end of a bounded run: every pending window fires.
            try window.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output)
            try sink.write(&output)
            try sink.commit()
            var out = StreamCounts()
            out.result = sink.count(.result)
            out.alert = sink.count(.alert)
            out.late = sink.count(.late)
            out.deadLetter = sink.count(.deadLetter)
            return FileReplayTaskSummary(
                job: spec.name, file: file, taskIndex: taskIndex, recordsIn: recordsIn, badRecords: bad,
                lateRecords: late, out: out, bytesIn: bytesIn, wallSeconds: ReplayClock.seconds(since: started),
                cpuSeconds: ReplayClock.threadCPUSeconds() - cpuStarted)
        } catch {
            sink.discard()
            throw error
        }
    }
}
