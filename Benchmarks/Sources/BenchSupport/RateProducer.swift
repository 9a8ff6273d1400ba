import Foundation
import StreamCore
import Synchronization

/// Records a `RateProducer` writes, replayed in passes: record `i` of pass `pass`.
public protocol ReplayedRecords: Sendable {
    var count: Int { get }
    func key(_ i: Int) -> [UInt8]
    func partition(_ i: Int) -> Int32
    /// The value of record `i` in pass `pass`, written into `out`.
    func value(_ i: Int, pass: Int64, into out: inout [UInt8])
}

/// Produces `records` into a topic at a fixed rate on its own thread, keeping count.
public final class RateProducer<Records: ReplayedRecords>: @unchecked Sendable {
    public let produced = Atomic<Int64>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let producer: KafkaProducer
    private let records: Records
    private let topic: String
    private let rate: Int

    public init(bootstrapServers: String, topic: String, records: Records, rate: Int) throws {
        producer = try KafkaProducer(config: ["bootstrap.servers": bootstrapServers])
        self.records = records
        self.topic = topic
        self.rate = rate
    }

    public func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "rate-producer"
        thread.start()
    }

    public func stop() {
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
                let i = Int(sent % Int64(records.count))
                records.value(i, pass: sent / Int64(records.count), into: &value)
                do {
                    try records.key(i).withUnsafeBytes { key in
                        try value.withUnsafeBytes { v in
                            try producer.produce(topic: topic, partition: records.partition(i), key: key, value: v, headers: [])
                        }
                    }
                } catch {
                    fatalError("produce failed: \(error)")
                }
                sent += 1
                // Counted as it goes: a producer that cannot keep up never leaves this loop.
                if sent % 1024 == 0 { produced.store(sent, ordering: .relaxed) }
                if sent % 8192 == 0 { producer.poll(timeoutMs: 0) }
            }
            produced.store(sent, ordering: .relaxed)
        }
        try? producer.flush(timeoutMs: 10_000)
    }
}
