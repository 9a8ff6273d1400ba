import Testing
import StreamCore

@Suite struct KafkaTransactionTests {
    @Test("the idempotent producer (default config) delivers each record exactly once, in order")
    func idempotentProducer() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        try cluster.createTopic("events", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster, ["enable.idempotence": "true"])
        for i in 0..<2000 { try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "k", value: "\(i)") }
        try producer.flush(timeoutMs: 10_000)
        #expect(producer.highestAckedOffset(topic: "events", partition: 0) == 1999)
        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 0, offset: KafkaOffset.beginning)])
        let records = try KafkaTestKit.read(consumer, count: 2000)
        #expect(records.map(\.value) == (0..<2000).map { Array("\($0)".utf8) })
    }

    @Test("a transactional producer can init, begin, produce, send offsets and commit on the embedded cluster")
    func transactionCommits() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        try cluster.createTopic("out", partitions: 1)
        try cluster.createTopic("in", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster, ["transactional.id": "task-0"])
        try producer.initTransactions(timeoutMs: 10_000)
        try producer.beginTransaction()
        for i in 0..<10 { try KafkaTestKit.produce(producer, topic: "out", partition: 0, key: "k", value: "\(i)") }
        try producer.sendOffsetsToTransaction([TopicPartitionOffset(topic: "in", partition: 0, offset: 5, metadata: "cp-1")],
                                              groupId: "job", timeoutMs: 10_000)
        try producer.commitTransaction(timeoutMs: 10_000)
        #expect(producer.highestAckedOffset(topic: "out", partition: 0) == 9)

        let consumer = try KafkaTestKit.consumer(cluster, ["isolation.level": "read_committed"])
        try consumer.assign([TopicPartitionOffset(topic: "out", partition: 0, offset: KafkaOffset.beginning)])
        let records = try KafkaTestKit.read(consumer, count: 10)
        #expect(records.map(\.value) == (0..<10).map { Array("\($0)".utf8) })
    }

    /// Characterises the embedded cluster (docs/bss-jobs.md §8): it writes no transaction markers, so exactly-once
    /// must not rely on read_committed there. If this starts failing, the mock gained markers.
    @Test("on the embedded cluster aborted records stay visible to read_committed consumers (no markers)")
    func abortWritesNoMarkers() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("out", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster, ["transactional.id": "task-1"])
        try producer.initTransactions(timeoutMs: 10_000)
        try producer.beginTransaction()
        for i in 0..<5 { try KafkaTestKit.produce(producer, topic: "out", partition: 0, key: "k", value: "aborted-\(i)") }
        try producer.flush(timeoutMs: 10_000)
        try producer.abortTransaction(timeoutMs: 10_000)
        try producer.beginTransaction()
        try KafkaTestKit.produce(producer, topic: "out", partition: 0, key: "k", value: "committed")
        try producer.commitTransaction(timeoutMs: 10_000)

        let consumer = try KafkaTestKit.consumer(cluster, ["isolation.level": "read_committed"])
        try consumer.assign([TopicPartitionOffset(topic: "out", partition: 0, offset: KafkaOffset.beginning)])
        let records = try KafkaTestKit.read(consumer, count: 6)
        #expect(records.map(\.value) == (0..<5).map { Array("aborted-\($0)".utf8) } + [Array("committed".utf8)])
        #expect(records.map(\.offset) == (0..<6).map { Int64($0) })
    }
}
