/// A record read back from a topic, with the audit headers the engine's sinks add.
public struct StoredRecord: Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]
    public var value: [UInt8]
    /// `stream.task` header: which task wrote it.
    public var task: String?
    /// `stream.attempt` header: which start of that task wrote it.
    public var attempt: Int?
    /// `stream.seq` header: its sequence on its partition for that task.
    public var sequence: Int64?
    /// `stream.fired` header of a window result or alert: when its window fired (wall-clock ms).
    public var firedMs: Int64?
    /// Kafka timestamp (CreateTime: when the record was produced), ms.
    public var timestampMs: Int64?
}

/// Reads a whole topic as it stands now (every partition up to its current end): for tools,
/// verification and tests, not for the data path.
public enum TopicContents {
    public static func read(topic: String, kafka: [String: String], timeoutMs: Int32 = 10_000) throws -> [StoredRecord] {
        var config = kafka
        config["auto.offset.reset"] = "earliest"
        let consumer = try KafkaConsumer(config: config)
        let partitions = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
        var ends: [Int64] = []
        var assignment: [TopicPartitionOffset] = []
        for p in 0..<partitions {
            let (low, high) = try consumer.watermarkOffsets(topic: topic, partition: p, timeoutMs: timeoutMs)
            ends.append(high)
            if low < high { assignment.append(TopicPartitionOffset(topic: topic, partition: p, offset: low, metadata: nil)) }
        }
        guard !assignment.isEmpty else { return [] }
        try consumer.assign(assignment)
        var reached = assignment.map(\.offset)
        var indexOf = [Int32: Int]()
        for (i, a) in assignment.enumerated() { indexOf[a.partition] = i }
        var records: [StoredRecord] = []
        var idleRounds = 0
        func pending() -> Bool {
            assignment.indices.contains { reached[$0] < ends[Int(assignment[$0].partition)] }
        }
        while pending() && idleRounds < 50 {
            let n = try consumer.consumeBatch(maxRecords: 4096, timeoutMs: 100) { r in
                guard let i = indexOf[r.partition], r.offset < ends[Int(r.partition)] else { return }
                reached[i] = max(reached[i], r.offset + 1)
                records.append(StoredRecord(
                    partition: r.partition, offset: r.offset, key: Array(r.key), value: Array(r.value),
                    task: r.header(KafkaSink.taskHeader).map { String(decoding: $0, as: UTF8.self) },
                    attempt: r.header(KafkaSink.attemptHeader).flatMap { Int(String(decoding: $0, as: UTF8.self)) },
                    sequence: r.header(KafkaSink.sequenceHeader).flatMap { Int64(String(decoding: $0, as: UTF8.self)) },
                    firedMs: r.header(KafkaSink.firedHeader).flatMap { Int64(String(decoding: $0, as: UTF8.self)) },
                    timestampMs: r.timestampMs))
            }
            idleRounds = n == 0 ? idleRounds + 1 : 0
        }
        return records
    }
}
