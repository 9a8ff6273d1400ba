/// One Kafka partition as a task's source, from a start offset to an optional end (bounded runs):
/// a record below the start (a redelivery after a seek) or at or past the end is skipped.
final class KafkaPartitionSource: RecordSource {
    let consumer: KafkaConsumer
    let topic: String
    let partition: Int32
    private(set) var nextOffset: Int64
    let endOffset: Int64?

    init(consumer: KafkaConsumer, topic: String, partition: Int32, from offset: Int64, endOffset: Int64?) {
        self.consumer = consumer
        self.topic = topic
        self.partition = partition
        nextOffset = offset
        self.endOffset = endOffset
    }

    var isExhausted: Bool {
        guard let endOffset else { return false }
        return nextOffset >= endOffset
    }

    /// Starts fetching at `nextOffset`.
    func assign() throws {
        try consumer.assign([TopicPartitionOffset(topic: topic, partition: partition, offset: nextOffset, metadata: nil)])
    }

    func read(maxRecords: Int, timeoutMs: Int32, lookingAhead distance: Int,
              _ ahead: (UnsafeRawBufferPointer?) -> Void, _ body: (SourceRecord) throws -> Void) throws -> Int {
        try consumer.consumeBatch(maxRecords: maxRecords, timeoutMs: timeoutMs, lookingAhead: distance,
                                  { ahead($0?.key) }) { record in
            let offset = record.offset
            if offset < nextOffset { return }
            if let endOffset, offset >= endOffset { return }
            try body(SourceRecord(key: record.key, value: record.value, offset: offset))
            nextOffset = offset + 1
        }
    }
}
