import Foundation
import StreamCore
import Synchronization

/// A consumer of a topic (a job's results) on its own thread. For every record it measures two
/// latencies, in milliseconds: from its window's firing (the engine's `stream.fired` header, set
/// when the watermark passed the window's end) to when the probe received it, and from its Kafka
/// CreateTime (when the job's sink produced it) to then, the Kafka path's share.
public final class LatencyProbe: @unchecked Sendable {
    public struct Sample: Sendable {
        public var createdMs: Int64
        public var fromProduceMs: Int64
        /// -1 when the record has no `stream.fired` header.
        public var fromFiringMs: Int64
    }

    public struct Percentiles: Sendable {
        public var count: Int
        public var p50: Int64
        public var p99: Int64
        public var max: Int64

        init(_ values: [Int64]) {
            let sorted = values.sorted()
            guard let last = sorted.last else {
                self = Percentiles(count: 0, p50: -1, p99: -1, max: -1)
                return
            }
            func at(_ q: Double) -> Int64 { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            self = Percentiles(count: sorted.count, p50: at(0.5), p99: at(0.99), max: last)
        }

        init(count: Int, p50: Int64, p99: Int64, max: Int64) {
            self.count = count
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let consumer: KafkaConsumer
    /// Per record received while recording, in receive order.
    private let samples = Mutex<[Sample]>([])
    private let recording = Atomic<Bool>(false)

    /// `config`: librdkafka properties over the probe's own (a 5 ms fetch wait).
    public init(bootstrapServers: String, topic: String, partitions: Int32, config: [String: String] = [:]) throws {
        let own = ["bootstrap.servers": bootstrapServers, "fetch.wait.max.ms": "5"]
        consumer = try KafkaConsumer(config: own.merging(config) { $1 })
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(topic: topic, partition: $0, offset: 0, metadata: nil) })
    }

    public func start() {
        let thread = Thread { [self] in
            var local: [Sample] = []
            while !stopRequested.load(ordering: .relaxed) {
                // A short wait: a batch call blocks until it has 4,096 records or times out, so a
                // long one would hold the tail of a burst that was already readable (20 ms added
                // up to 20 ms to p50 and p99). Every record of a batch was readable when the call
                // returned it, so the clock is read once, at the first: the probe's own work on the
                // records before one (parsing their headers) is not part of its latency.
                var now: Int64 = -1
                _ = try? consumer.consumeBatch(maxRecords: 4096, timeoutMs: 1) { record in
                    if now < 0 { now = WallClock.nowMs() }
                    guard recording.load(ordering: .relaxed), let created = record.timestampMs else { return }
                    let fired = record.header("stream.fired").flatMap(Self.decimal)
                    local.append(Sample(createdMs: created, fromProduceMs: now - created, fromFiringMs: fired.map { now - $0 } ?? -1))
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

    /// Stops; returns the percentiles from produce and, over the records that carry the header,
    /// from their window's firing.
    public func finish() -> (fromProduce: Percentiles, fromFiring: Percentiles) {
        stopRequested.store(true, ordering: .relaxed)
        done.wait()
        return samples.withLock { all in
            (Percentiles(all.map(\.fromProduceMs)), Percentiles(all.compactMap { $0.fromFiringMs >= 0 ? $0.fromFiringMs : nil }))
        }
    }

    /// Writes one line per sample, `<CreateTime ms> <from produce ms> <from firing ms or -1>`, in
    /// receive order: which bursts and which part of a burst make the tail. Call after `finish`.
    public func writeSamples(to path: String) throws {
        let lines = samples.withLock { $0.map { "\($0.createdMs) \($0.fromProduceMs) \($0.fromFiringMs)\n" } }
        try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
    }

    private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var v: Int64 = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int64(b - UInt8(ascii: "0"))
        }
        return v
    }
}
