import BenchSupport
import Foundation
import StreamCore

/// Memory of an unbounded run whose keys come and go: customer-analytics' operator fed `keys`
/// distinct customers over time, each sending two records and never returning, at a pace that
/// keeps about `live` of them in the open 5-minute windows. Every 1M records it checkpoints
/// into its RocksDB store as a task does (state changes written, then unused keys released) and
/// prints the resident set and the keys held: the curve is flat after warm-up when the key
/// table follows live state. `releaseKeys: false` skips the release, for the curve without it.
struct SlidingKeys {
    let keys: Int
    let live: Int
    let rowsInMemory: Int
    let releaseKeys: Bool

    func run() throws {
        let (pipeline, store, dir) = try customerAnalyticsPipeline(rowsInMemory: rowsInMemory)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var results = 0
        pipeline.drainOutput(every: 8_192) { batch in
            results += batch.records.count
            batch.removeAll()
        }
        // Two records per key and `live` keys per 5-minute window.
        let records = keys * 2, stepMs = 300_000.0 / Double(2 * live)
        let windowStart: Int64 = 1_762_250_400_000
        var output = OutputBatch()
        let start = Date()
        print("records  keys seen  keys held  RSS MB  results  release ms")
        for i in 0..<records {
            try processCustomerEvent(i, customer: String(format: "C%09d", i / 2), atMs: windowStart + Int64(Double(i) * stepMs),
                                     pipeline: pipeline, into: &output)
            results += output.records.count
            output.removeAll()
            if (i + 1) % 1_000_000 == 0 {
                let batch = RocksDBWriteBatch()
                pipeline.snapshotChanges(into: batch)
                try store.write(batch)
                let released = Date()
                if releaseKeys { try pipeline.releaseUnusedKeys() }
                print(String(format: "%7dM  %9d  %9d  %6.0f  %7d  %10.0f", (i + 1) / 1_000_000, i / 2 + 1, pipeline.keysHeld,
                             residentMegabytes(), results, Date().timeIntervalSince(released) * 1000))
            }
        }
        print(String(format: "%d keys over time, about %d live: %.0f s (%.0f records/s incl. record building and checkpoints)",
                     keys, live, Date().timeIntervalSince(start), Double(records) / Date().timeIntervalSince(start)))
    }

    /// The resident set now (not its peak): what stays flat when memory follows live state.
    private func residentMegabytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return -1 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
