import BenchSupport
import Foundation
import StreamCore

// Peak memory with many distinct keys in one window: customer-analytics' operator with its
// RocksDB store attached, fed `--keys` distinct customers inside one 5-minute window, so every
// key is a live row; rows beyond `--rows-in-memory` spill. Then the window fires, its results
// drained every 8,192 records as a task hands them to its sink. Prints the peak RSS after each.
let arguments = Arguments(usage: "state-memory [--keys 10M] [--rows-in-memory 2M] [--live 100K [--release-keys 0]]")
let keyCount = arguments.int("keys", default: 10_000_000)
let rowsInMemory = arguments.int("rows-in-memory", default: 2_000_000)
let live = arguments.int("live", default: 0)
let releaseKeys = arguments.int("release-keys", default: 1) != 0

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

if live > 0 {
    try SlidingKeys(keys: keyCount, live: live, rowsInMemory: rowsInMemory, releaseKeys: releaseKeys).run()
    exit(0)
}

let (pipeline, store, dir) = try customerAnalyticsPipeline(rowsInMemory: rowsInMemory)
defer { try? FileManager.default.removeItem(atPath: dir) }

let windowStart: Int64 = 1_762_250_400_000
var output = OutputBatch()
let start = Date()
for i in 0..<keyCount {
    try processCustomerEvent(i, customer: String(format: "C%09d", i), atMs: windowStart + Int64(i % 290_000),
                             pipeline: pipeline, into: &output)
    output.removeAll()
    if (i + 1) % 1_000_000 == 0 {
        print("\(i + 1) keys: peak RSS \(Int(peakRSSMegabytes())) MB, rows in memory \(pipeline.rowsInMemory)")
    }
}
let seconds = Date().timeIntervalSince(start)
print(String(format: "%d distinct keys in one window, %d rows allowed in memory: peak RSS %.0f MB, %.0f s (%.0f keys/s incl. record building)",
             keyCount, rowsInMemory, peakRSSMegabytes(), seconds, Double(keyCount) / seconds))

var results = 0
pipeline.drainOutput(every: 8_192) { batch in
    results += batch.records.count
    batch.removeAll()
}
let fireStart = Date()
try pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output)
results += output.records.count
print(String(format: "fired %d results in %.0f s: peak RSS %.0f MB", results, Date().timeIntervalSince(fireStart), peakRSSMegabytes()))
