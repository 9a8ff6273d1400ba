import ArgumentParser
import BSSTools
import Foundation
import Jobs
import Logging
import StreamCore

/// `bss-events demo`: the whole story on the embedded cluster, in one process.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Embedded cluster + generated events + both jobs (bounded) + their output, checked against docs/bss-jobs.md.")

    @Option(help: "Job definitions.")
    var file = "jobs.yaml"

    @Option(help: "Events per input topic.")
    var events = 50_000

    @Option(help: "Records of each output topic to print.")
    var show = 3

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let jobs = try JobDefinitionLoader.load(path: file)
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        for topic in Set(jobs.flatMap(\.topics)).sorted() {
            try cluster.createTopic(topic, partitions: 4)
        }
        print("embedded Kafka cluster at \(cluster.bootstrapServers)")
        var options = BSSEventProducer.Options()
        options.count = events
        options.customers = 500
        options.seed = 7
        let produced = try BSSEventProducer.produce(
            kafka: ["bootstrap.servers": cluster.bootstrapServers], options: options, progress: { done, total, _ in FileHandle.standardError.write(Data("\rgenerated \(done)/\(total)".utf8)) })
        print("\ngenerated \(produced) input records")
        let checkpoints = FileManager.default.temporaryDirectory.appendingPathComponent("bss-demo-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: checkpoints) }
        let start = Date()
        try LocalJobRunner(jobs: jobs, options: .init(bootstrapServers: cluster.bootstrapServers, bounded: true,
                                                      slots: 2, checkpointDir: checkpoints)).run()
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "ran %@ bounded in %.1f s (%.0f input records/s)",
                     jobs.map(\.name).joined(separator: " and "), seconds, Double(produced) / seconds))
        let kafka = ["bootstrap.servers": cluster.bootstrapServers]
        for topic in BSSOutputVerification.outputTopics {
            let records = try TopicContents.read(topic: topic, kafka: kafka)
            print("\n\(topic): \(records.count) records")
            for r in records.prefix(show) { print("  " + String(decoding: r.value, as: UTF8.self)) }
        }
        print("")
        let report = try BSSOutputVerification.verify(kafka: kafka)
        print(report.summary)
        if !report.exact { throw ExitCode(1) }
    }
}
