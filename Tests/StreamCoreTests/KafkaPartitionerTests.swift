import Synchronization
import Testing
import StreamCore

@Suite struct KafkaPartitionerTests {
    /// Vectors from Apache Kafka's clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java (testMurmur2).
    @Test("murmur2 matches Kafka's Java Utils.murmur2 test vectors", arguments: [
        ("21", -973932308),
        ("foobar", -790332482),
        ("a-little-bit-long-string", -985981536),
        ("a-little-bit-longer-string", -1486304829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
        ("abc", 479470107),
    ])
    func javaVectors(key: String, expected: Int32) {
        let hash = Array(key.utf8).withUnsafeBytes { KafkaPartitioner.murmur2($0) }
        #expect(Int32(bitPattern: hash) == expected)
    }

    @Test("partition is toPositive(murmur2) % count, as Java's default partitioner computes it")
    func partitionFormula() {
        // "21": murmur2 = -973932308, toPositive = -973932308 & 0x7fffffff = 1173551340.
        let p = Array("21".utf8).withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: 12) }
        #expect(p == Int32(1173551340 % 12))
    }

    @Test("librdkafka's murmur2_random partitioner, run by the producer against the cluster, picks the same partitions")
    func agreesWithLibrdkafka() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("keyed", partitions: 7)
        let chosen = Mutex<[Int64: Int32]>([:])
        let log = KafkaReportLog()
        let producer = try KafkaTestKit.producer(cluster, ["partitioner": "murmur2_random"]) { log.add($0) }
        _ = try producer.partitionCount(topic: "keyed", timeoutMs: 5000)
        let keys = (0..<200).map { "customer-\($0 * 7919)" }
        for key in keys {
            // RD_KAFKA_PARTITION_UA (-1): let librdkafka's partitioner choose.
            try KafkaTestKit.produce(producer, topic: "keyed", partition: -1, key: key, value: key)
        }
        try producer.flush(timeoutMs: 10_000)
        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign((0..<7).map { TopicPartitionOffset(topic: "keyed", partition: $0, offset: KafkaOffset.beginning) })
        let records = try KafkaTestKit.read(consumer, count: keys.count)
        #expect(records.count == keys.count)
        for record in records {
            let expected = record.key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: 7) }
            #expect(record.partition == expected)
            chosen.withLock { $0[record.offset] = record.partition }
        }
        #expect(Set(records.map(\.partition)).count > 1)
        #expect(log.all.count == keys.count)
    }
}
