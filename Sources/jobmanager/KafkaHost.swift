import Cluster
import StreamCore

/// The Kafka the jobs use: an external cluster, or the embedded one hosted by this process, in
/// which a submitted job's topics are created.
final class KafkaHost: Sendable {
    let bootstrapServers: String
    private let embedded: EmbeddedKafkaCluster?
    private let partitions: Int32

    init(bootstrapServers: String?, partitions: Int32) throws {
        self.partitions = partitions
        if let bootstrapServers {
            self.bootstrapServers = bootstrapServers
            embedded = nil
        } else {
            let cluster = try EmbeddedKafkaCluster(brokers: 3)
            self.bootstrapServers = cluster.bootstrapServers
            embedded = cluster
        }
    }

    var isEmbedded: Bool { embedded != nil }

    /// Creates every topic of `jobs` in the embedded cluster; an external cluster is left as it is.
    func createTopics(_ jobs: [JobSpec]) throws {
        guard let embedded else { return }
        for topic in Set(jobs.flatMap(\.topics)).sorted() { try embedded.createTopic(topic, partitions: partitions) }
    }

    /// Partition count of every topic of `jobs`, creating them first in the embedded cluster.
    func prepareTopics(_ jobs: [JobSpec]) throws -> [String: Int32] {
        try createTopics(jobs)
        return try RunPreflight.partitionCounts(of: Set(jobs.flatMap(\.topics)), kafka: ["bootstrap.servers": bootstrapServers])
    }
}
