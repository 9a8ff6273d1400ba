/// Exactly-once recovery: reads each output partition from a checkpoint's scan bound to its
/// current end and collects the sequences this task (any earlier attempt) wrote there since.
enum WrittenSequenceScan {
    struct Found: Sendable {
        let topic: String
        let partition: Int32
        let written: WrittenSequences
    }

    static func scan(consumerConfig: [String: String], taskId: String,
                     positions: [SinkPartitionPosition], timeoutMs: Int32) throws -> [Found] {
        let consumer = try KafkaConsumer(config: consumerConfig)
        // Bounds first, while the consumer is idle: a fetching consumer answers offset queries slowly.
        var ranges: [(position: SinkPartitionPosition, from: Int64, to: Int64)] = []
        for position in positions {
            let (low, high) = try consumer.watermarkOffsets(topic: position.topic, partition: position.partition, timeoutMs: timeoutMs)
            let from = max(position.scanFrom, low)
            if from < high { ranges.append((position, from, high)) }
        }
        guard !ranges.isEmpty else { return [] }
        try consumer.assign(ranges.map { TopicPartitionOffset(topic: $0.position.topic, partition: $0.position.partition, offset: $0.from) })
        let topicNames = ranges.map { Array($0.position.topic.utf8) }
        var reached = ranges.map(\.from)
        var written = ranges.map { WrittenSequences(base: $0.position.nextSequence) }
        let wanted = Array(taskId.utf8)
        var idleRounds = 0
        // Transaction markers take offsets no record comes back for: stop when reads dry up.
        while ranges.indices.contains(where: { reached[$0] < ranges[$0].to }) && idleRounds < 20 {
            let n = try consumer.consumeBatch(maxRecords: 4096, timeoutMs: 100) { record in
                guard let i = ranges.indices.first(where: {
                    ranges[$0].position.partition == record.partition && record.topicBytes.elementsEqual(topicNames[$0])
                }) else { return }
                reached[i] = max(reached[i], record.offset + 1)
                guard let task = record.header(KafkaSink.taskHeader), task.elementsEqual(wanted),
                      let seq = record.header(KafkaSink.sequenceHeader),
                      let sequence = Int64(String(decoding: seq, as: UTF8.self)) else { return }
                written[i].insert(sequence)
            }
            idleRounds = n == 0 ? idleRounds + 1 : 0
        }
        return ranges.indices.filter { written[$0].highest >= 0 }.map {
            Found(topic: ranges[$0].position.topic, partition: ranges[$0].position.partition, written: written[$0])
        }
    }
}
