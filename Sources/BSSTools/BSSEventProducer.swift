import Foundation
import StreamCore

/// Writes generated events to both input topics of the BSS jobs, each record to the partition
/// the generator chose (Kafka's default partitioner of its customer id).
public enum BSSEventProducer {
    public struct Options: Sendable {
        /// Events per input topic.
        public var count = 100_000
        /// Events per second per topic on the wall clock; 0: as fast as possible.
        public var rate = 0
        public var customers = 1000
        public var seed: UInt64 = 42
        /// Events per second of simulated event time, per topic.
        public var eventTimeRate = 50
        public init() {}
    }

    /// Produces, flushes, and returns how many records were written. `progress` gets
    /// (written, total, seconds elapsed) every 20,000 records and at the end.
    public static func produce(kafka: [String: String], options: Options,
                               progress: (Int, Int, Double) -> Void = { _, _, _ in }) throws -> Int {
        let producer = try KafkaProducer(config: kafka)
        var customerOptions = BSSEventGenerator.Options()
        customerOptions.seed = options.seed
        customerOptions.customers = options.customers
        customerOptions.eventsPerSecond = options.eventTimeRate
        customerOptions.partitions = try producer.partitionCount(topic: BSSEventGenerator.customerTopic, timeoutMs: 10_000)
        var orderOptions = customerOptions
        orderOptions.partitions = try producer.partitionCount(topic: BSSEventGenerator.orderTopic, timeoutMs: 10_000)
        var customerEvents = BSSEventGenerator(options: customerOptions)
        var orderEvents = BSSEventGenerator(options: orderOptions)
        let start = Date()
        let total = options.count * 2
        var done = 0
        func send(_ r: GeneratedRecord) throws {
            try r.key.withUnsafeBytes { key in
                try r.value.withUnsafeBytes { value in
                    try producer.produce(topic: r.topic, partition: r.partition, key: key, value: value, headers: [])
                }
            }
        }
        for i in 0..<options.count {
            try send(customerEvents.nextCustomerEvent())
            try send(orderEvents.nextOrderEvent())
            done += 2
            if options.rate > 0 {
                let wait = start.addingTimeInterval(Double(i + 1) / Double(options.rate)).timeIntervalSinceNow
                if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            }
            if done % 20_000 == 0 {
                producer.poll(timeoutMs: 0)
                progress(done, total, Date().timeIntervalSince(start))
            }
        }
        try producer.flush(timeoutMs: 60_000)
        progress(done, total, Date().timeIntervalSince(start))
        return done
    }
}
