import Foundation

/// Part files as a task's sink (file replay): each output stream's record values, one per line, in
/// `<outputDir>/<topic>/part-<job>-<taskIndex>.jsonl` (the topic the stream would go to in a
/// Kafka run). Every stream of the job gets its file, empty when it had no record, so a finished
/// task is visible as a full set of files. Streams that share a topic share the file.
final class PartFileSink: ReplayOutput {
    private var writers: [PartFileWriter] = []
    /// Writer index per `OutputBatch.Stream.rawValue`; -1 for a stream the job does not have.
    private var writerOf: [Int]
    /// Records written per `OutputBatch.Stream.rawValue`.
    private(set) var counts: [Int64]

    init(spec: JobSpec, taskIndex: Int, outputDir: String) throws {
        let streams = spec.outputStreams
        writerOf = [Int](repeating: -1, count: OutputBatch.Stream.count(sinks: spec.sinks.count))
        counts = [Int64](repeating: 0, count: writerOf.count)
        var topics: [String] = []
        do {
            for (stream, topic) in streams {
                if let existing = topics.firstIndex(of: topic) {
                    writerOf[Int(stream.rawValue)] = existing
                    continue
                }
                let dir = "\(outputDir)/\(topic)"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                writers.append(try PartFileWriter(path: "\(dir)/part-\(spec.name)-\(taskIndex).jsonl"))
                topics.append(topic)
                writerOf[Int(stream.rawValue)] = writers.count - 1
            }
        } catch {
            discard()
            throw error
        }
    }

    /// Appends the batch's record values to their files.
    func send(_ batch: OutputBatch) throws {
        try batch.writer.bytes.withUnsafeBytes { all in
            for record in batch.records {
                let stream = Int(record.stream.rawValue)
                try writers[writerOf[stream]].appendLine(UnsafeRawBufferPointer(rebasing: all[record.value]))
                counts[stream] += 1
            }
        }
    }

    /// Every file synced before any is renamed: a file under its final name is complete, and
    /// a task with a final file has all its records on disk.
    func commit() throws {
        for writer in writers { try writer.seal() }
        for writer in writers { try writer.publish() }
    }

    func discard() {
        for writer in writers { writer.discard() }
    }

    func count(_ stream: OutputBatch.Stream) -> Int64 {
        Int(stream.rawValue) < counts.count ? counts[Int(stream.rawValue)] : 0
    }
}
