import Foundation
import StreamCore
import Synchronization

/// A consumer of a topic (a job's results) on its own thread: for every record, the time it was
/// received minus its Kafka CreateTime (set when the record was produced), in milliseconds.
public final class LatencyProbe: @unchecked Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let consumer: KafkaConsumer
    /// Per record received while recording, in receive order: its CreateTime and its latency.
    private let samples = Mutex<[(createdMs: Int64, latencyMs: Int64)]>([])
    private let recording = Atomic<Bool>(false)

    /// `config`: librdkafka properties over the probe's own (a 5 ms fetch wait).
    public init(bootstrapServers: String, topic: String, partitions: Int32, config: [String: String] = [:]) throws {
        let own = ["bootstrap.servers": bootstrapServers, "fetch.wait.max.ms": "5"]
        consumer = try KafkaConsumer(config: own.merging(config) { $1 })
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(topic: topic, partition: $0, offset: 0, metadata: nil) })
    }

    public func start() {
        let thread = Thread { [self] in
            var local: [(createdMs: Int64, latencyMs: Int64)] = []
            while !stopRequested.load(ordering: .relaxed) {
                // A short wait: a batch call blocks until it has 4,096 records or times out, so a
                // long one would hold the tail of a burst that was already readable (20 ms added
                // up to 20 ms to p50 and p99).
                _ = try? consumer.consumeBatch(maxRecords: 4096, timeoutMs: 1) { record in
                    guard recording.load(ordering: .relaxed), let created = record.timestampMs else { return }
                    local.append((created, Stopwatch.epochMillis() - created))
                }
                if local.count > 4096 {
                    samples.withLock { $0.append(contentsOf: local) }
                    local.removeAll(keepingCapacity: true)
                }
            }
            samples.withLock { $0.append(contentsOf: local) }
            done.signal()
        }
        thread.name = "latency-probe"
        thread.start()
    }

    /// Samples count only between `record(true)` and `record(false)` (warm-up and drain left out).
    public func record(_ on: Bool) { recording.store(on, ordering: .relaxed) }

    /// Stops and returns (count, p50, p99, max) in ms.
    public func finish() -> (count: Int, p50: Int64, p99: Int64, max: Int64) {
        stopRequested.store(true, ordering: .relaxed)
        done.wait()
        let sorted = samples.withLock { $0.map(\.latencyMs) }.sorted()
        guard !sorted.isEmpty else { return (0, -1, -1, -1) }
        func at(_ q: Double) -> Int64 { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return (sorted.count, at(0.5), at(0.99), sorted.last!)
    }

    /// Writes one line per sample, `<CreateTime ms> <latency ms>`, in receive order: which bursts
    /// and which part of a burst make the tail. Call after `finish`.
    public func writeSamples(to path: String) throws {
        let lines = samples.withLock { $0.map { "\($0.createdMs) \($0.latencyMs)\n" } }
        try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
    }
}
