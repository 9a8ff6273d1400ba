import ArgumentParser
import BSSTools
import Foundation
import Logging
import StreamCore

/// `bss-events generate`: realistic customer and order events into a cluster.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Produce customer and order events (out-of-order, late and bad records, fraud bursts).")

    @Option(help: "Kafka bootstrap servers.")
    var bootstrapServers: String

    @Option(help: "Kafka security settings (security.protocol, ssl.*, sasl.*), key=value lines; $STREAM_KAFKA_* variables override them.")
    var kafkaProperties: String?

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
        try KafkaSecuritySettings.installAtStart(file: kafkaProperties, logger: Logger(label: "bss-events"))
        var options = BSSEventProducer.Options()
        options.count = count
        options.rate = rate
        options.customers = customers
        options.seed = seed
        options.eventTimeRate = eventTimeRate
        let produced = try BSSEventProducer.produce(
            kafka: ["bootstrap.servers": bootstrapServers], options: options, progress: { done, total, elapsed in
                let eps = elapsed > 0 ? Int(Double(done) / elapsed) : 0
                FileHandle.standardError.write(Data("\rgenerated \(done)/\(total) records (\(eps)/s)".utf8))
            })
        FileHandle.standardError.write(Data("\n".utf8))
        print("produced \(produced) records to bss.customer.events and bss.order.events")
    }
}
