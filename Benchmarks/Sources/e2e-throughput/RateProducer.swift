import BenchSupport
import Foundation
import StreamCore
import Synchronization

/// Produces the pool into the input topic at a fixed rate on its own thread, keeping count.
final class RateProducer: @unchecked Sendable {
    let produced = Atomic<Int64>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let producer: KafkaProducer
    private let pool: RecordPool
    private let topic: String
    private let rate: Int

    init(bootstrapServers: String, topic: String, pool: RecordPool, rate: Int) throws {
        producer = try KafkaProducer(config: ["bootstrap.servers": bootstrapServers])
        self.pool = pool
        self.topic = topic
        self.rate = rate
    }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "rate-producer"
        thread.start()
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        done.wait()
    }

    private func run() {
        let start = Stopwatch()
        var value: [UInt8] = []
        value.reserveCapacity(1024)
        var sent: Int64 = 0
        while !stopRequested.load(ordering: .relaxed) {
            let due = Int64(start.elapsed.wall * Double(rate))
            if sent >= due {
                producer.poll(timeoutMs: 0)
                usleep(500)
                continue
            }
            while sent < due {
                let i = Int(sent % Int64(pool.records.count))
                pool.value(i, pass: sent / Int64(pool.records.count), into: &value)
                let r = pool.records[i]
                do {
                    try r.key.withUnsafeBytes { key in
                        try value.withUnsafeBytes { v in
                            try producer.produce(topic: topic, partition: r.partition, key: key, value: v, headers: [])
                        }
                    }
                } catch {
                    fatalError("produce failed: \(error)")
                }
                sent += 1
                if sent % 8192 == 0 { producer.poll(timeoutMs: 0) }
            }
            produced.store(sent, ordering: .relaxed)
        }
        try? producer.flush(timeoutMs: 10_000)
    }
}
