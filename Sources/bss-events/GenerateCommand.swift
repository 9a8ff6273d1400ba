import ArgumentParser
import BSSTools
import Foundation
import StreamCore

/// `bss-events generate`: realistic customer and order events into a cluster.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Produce customer and order events (out-of-order, late and bad records, fraud bursts).")

    @Option(help: "Kafka bootstrap servers.")
    var bootstrapServers: String

    @Option(help: "Events per topic.")
    var count = 100_000

    @Option(help: "Events per second per topic (0: as fast as possible).")
    var rate = 0

    @Option(help: "Distinct customers.")
    var customers = 1000

    @Option(help: "Random seed: the same seed writes the same records.")
    var seed: UInt64 = 42

    @Option(help: "Simulated events per second of event time, per topic: lower spreads the events over more windows.")
    var eventTimeRate = 50

    func run() throws {
        let produced = try EventProduction.produce(
            bootstrapServers: bootstrapServers, count: count, rate: rate, customers: customers, seed: seed,
            eventTimeRate: eventTimeRate, progress: { done, total, elapsed in
                let eps = elapsed > 0 ? Int(Double(done) / elapsed) : 0
                FileHandle.standardError.write(Data("\rgenerated \(done)/\(total) records (\(eps)/s)".utf8))
            })
        FileHandle.standardError.write(Data("\n".utf8))
        print("produced \(produced) records to bss.customer.events and bss.order.events")
    }
}

/// Writes generated events to both input topics, each record to the partition the generator chose.
enum EventProduction {
    static let customerTopic = "bss.customer.events"
    static let orderTopic = "bss.order.events"

    static func produce(bootstrapServers: String, count: Int, rate: Int, customers: Int, seed: UInt64,
                        eventTimeRate: Int, progress: (Int, Int, Double) -> Void) throws -> Int {
        let producer = try KafkaProducer(config: ["bootstrap.servers": bootstrapServers])
        let customerPartitions = try producer.partitionCount(topic: customerTopic, timeoutMs: 10_000)
        let orderPartitions = try producer.partitionCount(topic: orderTopic, timeoutMs: 10_000)
        var customerOptions = BSSEventGenerator.Options()
        customerOptions.seed = seed
        customerOptions.customers = customers
        customerOptions.eventsPerSecond = eventTimeRate
        customerOptions.partitions = customerPartitions
        var orderOptions = customerOptions
        orderOptions.partitions = orderPartitions
        var customerEvents = BSSEventGenerator(options: customerOptions)
        var orderEvents = BSSEventGenerator(options: orderOptions)
        let start = Date()
        let total = count * 2
        var done = 0
        func send(_ r: GeneratedRecord) throws {
            try r.key.withUnsafeBytes { key in
                try r.value.withUnsafeBytes { value in
                    try producer.produce(topic: r.topic, partition: r.partition, key: key, value: value, headers: [])
                }
            }
        }
        for i in 0..<count {
            try send(customerEvents.nextCustomerEvent())
            try send(orderEvents.nextOrderEvent())
            done += 2
            if rate > 0 {
                let due = start.addingTimeInterval(Double(i + 1) / Double(rate))
                let wait = due.timeIntervalSinceNow
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
