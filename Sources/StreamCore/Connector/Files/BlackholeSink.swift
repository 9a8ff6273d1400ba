/// A replay's output dropped after encoding, counted per stream (Flink's `blackhole` connector):
/// what a benchmark uses to time a job without the file system's copy of its output.
final class BlackholeSink: ReplayOutput {
    private var counts: [Int64]

    init(spec: JobSpec) {
        counts = [Int64](repeating: 0, count: OutputBatch.Stream.count(sinks: spec.sinks.count))
    }

    func send(_ batch: OutputBatch) throws {
        for record in batch.records { counts[Int(record.stream.rawValue)] += 1 }
    }

    func commit() throws {}

    func discard() {}

    func count(_ stream: OutputBatch.Stream) -> Int64 {
        Int(stream.rawValue) < counts.count ? counts[Int(stream.rawValue)] : 0
    }
}

/// Where a file replay's output goes: part files, or nowhere (`BlackholeSink`).
protocol ReplayOutput: RecordSink {
    /// Makes the output complete and visible, at the end of the input.
    func commit() throws
    /// Drops unfinished output after a failure.
    func discard()
    /// Records sent on `stream`.
    func count(_ stream: OutputBatch.Stream) -> Int64
}
