import BenchSupport
import Foundation
import StreamCore

/// Records each parsed into slots of their own (views into the input and the reader that parsed
/// them, both kept), so window benchmarks leave parsing out.
final class ParsedRecords {
    let job: CompiledJob
    private let input: GeneratedInput
    private var readers: [RecordReader] = []
    private var slots: [UnsafeMutablePointer<ExprValue>] = []
    private var times: [Int64] = []
    private var good: [Int] = []

    init(_ input: GeneratedInput) {
        self.input = input
        job = try! CompiledJob.compile(input.job.spec).get()
        input.forEach { i, _, value in
            var reader = ParseOnly.reader(for: job)
            if reader.read(value) == nil {
                let record = UnsafeMutablePointer<ExprValue>.allocate(capacity: job.schema.slotCount)
                record.initialize(repeating: .null, count: job.schema.slotCount)
                reader.fill(record)
                readers.append(reader)
                slots.append(record)
                times.append(reader.eventTimeMs)
                good.append(i)
            }
        }
    }

    deinit {
        for record in slots { record.deallocate() }
    }

    func forEach(_ body: (UnsafePointer<ExprValue>, Int64, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var next = 0
        try input.forEach { i, key, value in
            guard next < good.count, good[next] == i else { return }
            try body(slots[next], times[next], key, value)
            next += 1
        }
    }
}

/// A pipeline that has processed an input (10 s of event time: its windows still pending), so that
/// firing them, as the end of a bounded run does, can be measured alone.
struct FiringFixture {
    private let pipeline: Pipeline
    private var output = OutputBatch()

    init(job: BenchJob) {
        pipeline = Pipeline(job: try! CompiledJob.compile(job.spec).get(), partition: 0)
    }

    /// Processes the input; what fires on the way is discarded.
    mutating func load(_ input: GeneratedInput) throws {
        try input.forEach { i, key, value in
            _ = try pipeline.process(key: key, value: value, offset: Int64(i), into: &output)
        }
        output.removeAll()
    }

    /// Fires every pending window; returns the records encoded.
    mutating func fireAll() throws -> Int {
        try pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output)
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
