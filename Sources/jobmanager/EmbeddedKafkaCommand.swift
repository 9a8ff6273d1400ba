import ArgumentParser
import Foundation
import Jobs
import StreamCore

/// `jobmanager embedded-kafka`: hosts the embedded cluster on its own, for runs in other processes.
struct EmbeddedKafkaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedded-kafka",
        abstract: "Host the embedded Kafka-protocol cluster and create the jobs' topics, until stopped.",
        discussion: """
            Fault drill: SIGUSR1 takes every broker down (connections closed and refused, records \
            kept), SIGUSR2 brings them up again.
            """)

    @Argument(help: "Job definitions whose topics to create.")
    var file: String = "jobs.yaml"

    @Option(help: "Partitions per topic.")
    var partitions: Int32 = 4

    func run() throws {
        let jobs = try JobDefinitionLoader.load(path: file)
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        for topic in Set(jobs.flatMap(\.topics)).sorted() {
            try cluster.createTopic(topic, partitions: partitions)
        }
        // Unbuffered, so a parent process reading the address sees it at once.
        FileHandle.standardOutput.write(Data("\(cluster.bootstrapServers)\n".utf8))
        let stop = DispatchSemaphore(value: 0)
        let signals = StopSignals { stop.signal() }
        let drill = BrokerDrillSignals(cluster)
        stop.wait()
        withExtendedLifetime((signals, drill, cluster)) {}
    }
}
