import Testing
import StreamCore

@Suite struct KafkaClusterTests {
    @Test("createTopic is idempotent and partitionCount reports the partitions over the wire")
    func createTopicIdempotent() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        #expect(cluster.bootstrapServers.contains("127.0.0.1:"))
        try cluster.createTopic("orders", partitions: 6, replicationFactor: 3)
        try cluster.createTopic("orders", partitions: 6, replicationFactor: 3)
        let producer = try KafkaTestKit.producer(cluster)
        let consumer = try KafkaTestKit.consumer(cluster)
        #expect(try producer.partitionCount(topic: "orders", timeoutMs: 5000) == 6)
        #expect(try consumer.partitionCount(topic: "orders", timeoutMs: 5000) == 6)
    }

    @Test("partitionCount of a missing topic throws a clear error and does not create the topic")
    func missingTopic() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let producer = try KafkaTestKit.producer(cluster)
        let error = try #require(throws: KafkaError.self) {
            try producer.partitionCount(topic: "nope", timeoutMs: 5000)
        }
        #expect(error.message.contains("topic nope does not exist"))
        #expect(error.isUnknownTopic && !error.isBrokerUnreachable)
        // Asking again still fails: the question did not auto-create the topic.
        #expect(throws: KafkaError.self) { try producer.partitionCount(topic: "nope", timeoutMs: 5000) }
        let consumer = try KafkaTestKit.consumer(cluster)
        #expect(throws: KafkaError.self) { try consumer.partitionCount(topic: "nope", timeoutMs: 5000) }
    }

    @Test("with no broker reachable, partitionCount gives up after its timeout with a message naming the address")
    func unreachableBroker() throws {
        let producer = try KafkaProducer(config: ["bootstrap.servers": "127.0.0.1:1", "log_level": "0"])
        let error = try #require(throws: KafkaError.self) {
            try producer.partitionCount(topic: "events", timeoutMs: 1000)
        }
        #expect(error.message.contains("no Kafka broker reachable at 127.0.0.1:1 within 1 s"))
        #expect(error.isBrokerUnreachable && !error.isUnknownTopic)
        let consumer = try KafkaConsumer(config: ["bootstrap.servers": "127.0.0.1:1", "log_level": "0"])
        #expect(throws: KafkaError.self) { try consumer.watermarkOffsets(topic: "events", partition: 0, timeoutMs: 1000) }
    }

    @Test("bad config is rejected with the offending property named")
    func badConfig() {
        #expect(throws: KafkaError.self) { try KafkaProducer(config: [:]) }
        let error = try? #require(throws: KafkaError.self) {
            try KafkaProducer(config: ["bootstrap.servers": "127.0.0.1:1", "linger.ms": "soon"])
        }
        #expect(error?.message.contains("linger.ms=soon") == true)
    }

    @Test("plain offset commits with metadata are stored and read back through committed()")
    func commitAndCommitted() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 2)
        let consumer = try KafkaTestKit.consumer(cluster, ["group.id": "job-a"])
        let before = try consumer.committed([("events", 0)], timeoutMs: 5000)
        #expect(before.first?.offset == KafkaOffset.invalid)
        try consumer.commit([TopicPartitionOffset(topic: "events", partition: 0, offset: 42, metadata: "checkpoint-7"),
                             TopicPartitionOffset(topic: "events", partition: 1, offset: 3)])
        let other = try KafkaTestKit.consumer(cluster, ["group.id": "job-a"])
        let after = try other.committed([("events", 0), ("events", 1)], timeoutMs: 5000)
        #expect(after == [TopicPartitionOffset(topic: "events", partition: 0, offset: 42, metadata: "checkpoint-7"),
                          TopicPartitionOffset(topic: "events", partition: 1, offset: 3)])
    }
}
