import Benchmark
import BenchSupport
import Foundation
import StreamCore

// Micro-benchmarks of the hot path's pieces. Run: `swift package benchmark` in Benchmarks/.
// Each iteration handles `batch` records (or one firing / one store), so `throughput` reads as
// batches per second; the names say what one iteration is.

let batch = 10_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .instructions, .mallocCountTotal],
                                           maxDuration: .seconds(3), maxIterations: 200)
    registerParsing()
    registerWindows()
    registerKeyTable()
    registerFiring()
    registerRocksDB()
}

func registerParsing() {
    for job in BenchJob.allCases {
        let input = GeneratedInput(job: job, count: batch, customers: 10_000)
        Benchmark("parse \(batch) CloudEvents (\(job.rawValue))") { benchmark in
            var reader = ParseOnly.reader(for: try CompiledJob.compile(job.spec).get())
            benchmark.startMeasurement()
            var good = 0
            input.forEach { _, _, value in
                if reader.read(value) == nil { good += 1 }
            }
            blackHole(good)
        }
    }
}

/// WindowOperator.process on records parsed beforehand (one reader and slot array per record, outside
/// the measurement).
func registerWindows() {
    for job in BenchJob.allCases {
        let input = GeneratedInput(job: job, count: batch, customers: 10_000)
        let parsed = ParsedRecords(input)
        Benchmark("window assign + aggregate \(batch) records (\(job.rawValue))") { benchmark in
            let window = WindowOperator(job: parsed.job)
            var output = OutputBatch()
            benchmark.startMeasurement()
            try parsed.forEach { slots, time, key, value in
                try window.observe(eventTime: time, into: &output)
                try window.process(slots, eventTime: time, key: slots[parsed.job.keySlot].string, rawKey: key, value: value,
                                   into: &output)
                if output.records.count >= 4096 { output.removeAll() }
            }
            blackHole(output.records.count)
        }
    }
}

func registerKeyTable() {
    let keys = (0..<batch).map { Array("C\(String(format: "%06d", $0 * 7919 % 1_000_000))".utf8) }
    Benchmark("KeyTable intern \(batch) keys, all known") { benchmark in
        var table = KeyTable()
        for key in keys { key.withUnsafeBytes { _ = table.intern($0) } }
        benchmark.startMeasurement()
        var sum: Int32 = 0
        for key in keys { key.withUnsafeBytes { sum &+= table.intern($0) } }
        blackHole(sum)
    }
    Benchmark("KeyTable intern \(batch) new keys") { _ in
        var table = KeyTable()
        for key in keys { key.withUnsafeBytes { _ = table.intern($0) } }
        blackHole(table.count)
    }
}

/// Output serialisation: one window firing, all its rows encoded (rows built outside the measurement).
func registerFiring() {
    for job in BenchJob.allCases {
        let input = GeneratedInput(job: job, count: batch, customers: 10_000)
        Benchmark("fire one window of \(batch) records (\(job.rawValue))") { benchmark in
            var pipeline = FiringFixture(job: job)
            try pipeline.load(input)
            benchmark.startMeasurement()
            let fired = try pipeline.fireAll()
            benchmark.stopMeasurement()
            blackHole(fired)
        }
    }
}

func registerRocksDB() {
    let keyCount = 1_000_000
    let value = [UInt8](repeating: 7, count: 64)
    func fill(_ store: RocksDBStore) throws {
        let writeBatch = RocksDBWriteBatch()
        var key: [UInt8] = []
        for i in 0..<keyCount {
            key.removeAll(keepingCapacity: true)
            OrderedKey.append(UInt64(i), to: &key)
            writeBatch.put(key, value)
            if writeBatch.count == 10_000 {
                try store.write(writeBatch)
                writeBatch.clear()
            }
        }
        try store.write(writeBatch)
    }
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(20), maxIterations: 5)
    Benchmark("RocksDB write 1M keys in sorted batches of 10K", configuration: config) { benchmark in
        let dir = TemporaryDirectory()
        let store = try RocksDBStore(path: dir.path + "/db")
        benchmark.startMeasurement()
        try fill(store)
        benchmark.stopMeasurement()
        store.close()
    }
    for flushedBefore in [false, true] {
        let name = flushedBefore ? "already flushed" : "memtable flushed by it"
        Benchmark("RocksDB checkpoint of 1M keys (\(name))", configuration: config) { benchmark in
            let dir = TemporaryDirectory()
            let store = try RocksDBStore(path: dir.path + "/db")
            try fill(store)
            if flushedBefore { try store.flush() }
            benchmark.startMeasurement()
            try store.createCheckpoint(at: dir.path + "/chk-1")
            benchmark.stopMeasurement()
            store.close()
        }
    }
}
