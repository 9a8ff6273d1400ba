import Testing
@testable import StreamCore

/// Exactly-once recovery over a real Kafka-protocol cluster when an earlier attempt left a gap:
/// librdkafka's idempotent producer skips records that timed out in its queue and writes the ones
/// after them, so a task's output partition can hold sequences 0-2 and 6-7 without 3-5. The next
/// attempt must write 3-5 (and 8-9) and nothing else.
@Suite struct RecoveryGapTests {
    static let task = "job/in/0"
    static let topic = "out"

    /// Writes records carrying `task`'s headers with these sequences, as an earlier attempt would have.
    func writeEarlierAttempt(_ cluster: EmbeddedKafkaCluster, task: String, sequences: [Int64]) throws {
        let producer = try KafkaTestKit.producer(cluster)
        for sequence in sequences {
            let value = Array("record \(sequence)".utf8), key = Array("k".utf8)
            try key.withUnsafeBytes { k in
                try value.withUnsafeBytes { v in
                    try producer.produce(topic: Self.topic, partition: 0, key: k, value: v, headers: [
                        KafkaHeader(name: KafkaSink.taskHeader, value: Array(task.utf8)),
                        KafkaHeader(name: KafkaSink.sequenceHeader, value: Array(String(sequence).utf8)),
                    ])
                }
            }
        }
        try producer.flush(timeoutMs: 10_000)
    }

    func consumerConfig(_ cluster: EmbeddedKafkaCluster) -> [String: String] {
        ["bootstrap.servers": cluster.bootstrapServers, "fetch.wait.max.ms": "50"]
    }

    @Test func scanFindsTheSequencesWrittenSinceTheCheckpointAndTheGapBetween() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic(Self.topic, partitions: 1)
        try writeEarlierAttempt(cluster, task: Self.task, sequences: [0, 1, 2, 6, 7])
        try writeEarlierAttempt(cluster, task: "other/in/0", sequences: [3, 4, 5, 8])

        // Checkpoint taken after sequence 0 was acknowledged: sequence 1 is the next, offset 1 the scan start.
        let found = try WrittenSequenceScan.scan(
            consumerConfig: consumerConfig(cluster), taskId: Self.task,
            positions: [SinkPartitionPosition(topic: Self.topic, partition: 0, nextSequence: 1, scanFrom: 1)], timeoutMs: 10_000)

        let written = try #require(found.first { $0.topic == Self.topic && $0.partition == 0 }?.written)
        #expect(found.count == 1)
        #expect((0...9).filter { written.contains($0) } == [1, 2, 6, 7])
        #expect(written.highest == 7)
        #expect(written.missing == 3)
    }

    @Test func recoveringSinkWritesTheGapAnEarlierAttemptLeftAndNothingTwice() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic(Self.topic, partitions: 1)
        try writeEarlierAttempt(cluster, task: Self.task, sequences: [0, 1, 2, 6, 7])
        let position = SinkPartitionPosition(topic: Self.topic, partition: 0, nextSequence: 0, scanFrom: 0)
        let found = try WrittenSequenceScan.scan(consumerConfig: consumerConfig(cluster), taskId: Self.task,
                                                 positions: [position], timeoutMs: 10_000)

        let producer = try KafkaTestKit.producer(cluster)
        let sink = KafkaSink(producer: producer, streams: [(.result, KafkaSink.Topic(name: Self.topic, partitions: 1))],
                            taskId: Self.task, attempt: 2, lease: nil)
        sink.restore([position])
        for f in found { sink.setWritten(topic: f.topic, partition: f.partition, f.written) }
        // The regenerated output: the same ten records, numbered 0-9 again.
        var batch = OutputBatch()
        for sequence in 0..<10 {
            Array("k".utf8).withUnsafeBytes { k in
                Array("record \(sequence)".utf8).withUnsafeBytes { batch.append(.result, key: k, value: $0) }
            }
        }
        try sink.send(batch)
        try producer.flush(timeoutMs: 10_000)

        #expect(sink.sent == 5)
        #expect(sink.suppressed == 5)
        let stored = try TopicContents.read(topic: Self.topic, kafka: ["bootstrap.servers": cluster.bootstrapServers])
        #expect(stored.compactMap(\.sequence).sorted() == Array(0...9))
        #expect(stored.map { String(decoding: $0.value, as: UTF8.self) }.sorted() == (0..<10).map { "record \($0)" }.sorted())
        #expect(stored.filter { $0.offset >= 5 }.compactMap(\.sequence) == [3, 4, 5, 8, 9])
    }
}
