import BenchSupport
import Foundation
import StreamCore

/// Records each held by a reader that parsed it, so window benchmarks leave parsing out.
struct ParsedRecords {
    private let input: GeneratedInput
    private var readers: [CloudEventReader] = []
    private var good: [Int] = []

    init(_ input: GeneratedInput) {
        self.input = input
        let fields = ReaderFields(input.job.spec).fields
        input.forEach { i, _, value in
            var reader = CloudEventReader(timeField: input.job.spec.timeField, fields: fields)
            if reader.read(value) == nil {
                readers.append(reader)
                good.append(i)
            }
        }
    }

    func forEach(_ body: (borrowing CloudEventReader, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var next = 0
        try input.forEach { i, key, value in
            guard next < good.count, good[next] == i else { return }
            try body(readers[next], key, value)
            next += 1
        }
    }
}

/// An operator that has processed an input (10 s of event time: its windows still pending), so that
/// firing them, as the end of a bounded run does, can be measured alone.
struct FiringFixture {
    private let job: BenchJob
    private var pipelineReader: CloudEventReader
    private let window: WindowOperator
    private var output = OutputBatch()

    init(job: BenchJob) {
        self.job = job
        let fields = ReaderFields(job.spec)
        pipelineReader = CloudEventReader(timeField: job.spec.timeField, fields: fields.fields)
        window = WindowOperator(spec: job.spec, fields: fields)
    }

    /// Processes the input; what fires on the way is discarded.
    mutating func load(_ input: GeneratedInput) throws {
        try input.forEach { _, key, value in
            if pipelineReader.read(value) == nil { try window.process(pipelineReader, key: key, value: value, into: &output) }
        }
        output.removeAll()
    }

    /// Fires every pending window; returns the records encoded.
    mutating func fireAll() throws -> Int {
        try window.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output)
        return output.records.count
    }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("stream-bench-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
