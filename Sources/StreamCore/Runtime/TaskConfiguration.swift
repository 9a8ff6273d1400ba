/// What a task needs beyond its job: where Kafka and checkpoints are, and how it runs.
public struct TaskConfiguration: Sendable {
    /// librdkafka properties shared by the task's clients (at least `bootstrap.servers`).
    public var kafka: [String: String]
    public var checkpointRoot: String
    /// Read each partition to the end offset seen when the run first started, then fire everything.
    public var bounded: Bool
    public var retainedCheckpoints: Int = 3
    /// Window rows a task keeps in memory; beyond it the oldest windows' rows go to RocksDB.
    public var maxRowsInMemory: Int = 2_000_000
    /// Broker round trips (metadata, offsets, flush) give up after this long.
    public var kafkaTimeoutMs: Int32 = 10_000
    /// librdkafka properties for the output producer only (consumers would warn about them).
    public var producerKafka: [String: String] = [:]
    /// Under a jobmanager: output is produced only while this is held. Nil in local mode.
    public var lease: Lease?
    /// Transactional mode under a jobmanager: a checkpoint it requested commits only when it
    /// says the checkpoint completed on every task. Local mode commits at each checkpoint.
    public var commitOnCompletionNotice = false

    public init(kafka: [String: String], checkpointRoot: String, bounded: Bool) {
        self.kafka = kafka
        self.checkpointRoot = checkpointRoot
        self.bounded = bounded
    }

    var consumerConfig: [String: String] {
        var c = kafka
        c["fetch.wait.max.ms"] = c["fetch.wait.max.ms"] ?? "10"
        c["auto.offset.reset"] = "earliest"
        return c
    }

    func producerConfig(transactionalId: String?) -> [String: String] {
        var c = kafka.merging(producerKafka) { _, producerOnly in producerOnly }
        if let transactionalId { c["transactional.id"] = transactionalId }
        return c
    }
}
