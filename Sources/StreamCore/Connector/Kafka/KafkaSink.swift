/// Kafka topics as a task's sink: routes each emitted record to its topic and partition (Kafka's murmur2 of
/// the key, as Java clients do), numbers records per output partition, and tags them with
/// headers naming task, attempt and sequence so any run can be audited; window results and alerts
/// also say when their window fired, so a consumer can tell how long a result took to reach it.
/// A watermark control record (`OutputBatch.Stream.watermarkControl`) goes to every partition of
/// its topic, numbered in each like any record there.
///
/// In exactly-once mode a recovering task first learns, per output partition, which sequences an
/// earlier attempt already wrote; regenerated records carrying one of them are not sent again.
final class KafkaSink: RecordSink {
    static let taskHeader = "stream.task"
    static let attemptHeader = "stream.attempt"
    static let sequenceHeader = "stream.seq"
    static let firedHeader = "stream.fired"

    struct Topic {
        let name: String
        let partitions: Int32
    }

    let producer: KafkaProducer
    let topics: [Topic]
    /// OutputBatch.Stream raw value -> index in `topics` (streams may share a topic).
    private let streamTopic: [Int]
    private var nextSequence: [[Int64]]
    private var scanFrom: [[Int64]]
    /// Sequences already in the topic from an earlier attempt (none unless recovering).
    private var written: [[WrittenSequences]]
    private let taskId: [UInt8]
    private let attempt: [UInt8]
    /// Task, attempt, sequence and fired headers, rewritten in place per record: no allocation per record.
    private var headers = KafkaHeaderBuffer(names: [KafkaSink.taskHeader, KafkaSink.attemptHeader, KafkaSink.sequenceHeader,
                                                    KafkaSink.firedHeader])
    private let lease: Lease?
    private(set) var sent: Int64 = 0
    private(set) var suppressed: Int64 = 0

    init(producer: KafkaProducer, streams: [(OutputBatch.Stream, Topic)], taskId: String, attempt: Int, lease: Lease?) {
        var topics: [Topic] = []
        var streamTopic = [Int](repeating: -1, count: Int(streams.map(\.0.rawValue).max() ?? 0) + 1)
        for (stream, topic) in streams {
            if let i = topics.firstIndex(where: { $0.name == topic.name }) {
                streamTopic[Int(stream.rawValue)] = i
            } else {
                topics.append(topic)
                streamTopic[Int(stream.rawValue)] = topics.count - 1
            }
        }
        self.producer = producer
        self.lease = lease
        self.topics = topics
        self.streamTopic = streamTopic
        nextSequence = topics.map { [Int64](repeating: 0, count: Int($0.partitions)) }
        scanFrom = nextSequence
        written = topics.map { [WrittenSequences](repeating: WrittenSequences(base: 0), count: Int($0.partitions)) }
        self.taskId = Array(taskId.utf8)
        self.attempt = Array(String(attempt).utf8)
    }

    /// Sets where each output partition stands: sequences from a checkpoint, scan bounds from
    /// the checkpoint or (fresh task) the partitions' current end offsets.
    func restore(_ positions: [SinkPartitionPosition]) {
        for p in positions {
            guard let t = topics.firstIndex(where: { $0.name == p.topic }), p.partition < topics[t].partitions else { continue }
            nextSequence[t][Int(p.partition)] = p.nextSequence
            scanFrom[t][Int(p.partition)] = p.scanFrom
        }
    }

    /// Records what earlier attempts wrote (exactly-once recovery).
    func setWritten(topic: String, partition: Int32, _ sequences: WrittenSequences) {
        guard let t = topics.firstIndex(where: { $0.name == topic }), partition < topics[t].partitions else { return }
        written[t][Int(partition)] = sequences
    }

    func send(_ batch: OutputBatch) throws {
        // The firing that emitted record i: the last one starting at or before it.
        let firings = batch.firings
        var firing = -1
        for i in 0..<batch.records.count {
            while firing + 1 < firings.count && firings[firing + 1].firstRecord <= i { firing += 1 }
            try batch.withRecord(i) { stream, key, value in
                // Checked per record, right before producing: a process stopped mid-batch and
                // resumed after its lease lapsed must not hand the rest of the batch to Kafka.
                if let lease, !lease.isHeld { throw LeaseLapsed() }
                let t = streamTopic[Int(stream.rawValue)]
                if stream == .watermarkControl {
                    for p in 0..<topics[t].partitions { try produce(topic: t, partition: p, key: key, value: value, firedMs: nil) }
                    return
                }
                let partition = KafkaPartitioner.partition(key: key, partitionCount: topics[t].partitions)
                try produce(topic: t, partition: partition, key: key, value: value,
                            firedMs: firing >= 0 && stream.isFiringOutput ? firings[firing].atMs : nil)
            }
        }
    }

    /// Numbers the record in its output partition and hands it to the producer, unless an
    /// earlier attempt already wrote that sequence.
    @inline(__always)
    private func produce(topic t: Int, partition: Int32, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
                         firedMs: Int64?) throws {
        let p = Int(partition)
        let sequence = nextSequence[t][p]
        nextSequence[t][p] = sequence + 1
        if written[t][p].contains(sequence) {
            suppressed += 1
            return
        }
        headers.removeAllValues()
        taskId.withUnsafeBytes { headers.setValue(0, $0) }
        attempt.withUnsafeBytes { headers.setValue(1, $0) }
        headers.setValue(2, maxCount: 20) { KafkaSink.writeDecimal(sequence, into: $0) }
        if let firedMs { headers.setValue(3, maxCount: 20) { KafkaSink.writeDecimal(firedMs, into: $0) } }
        try producer.produce(topic: topics[t].name, partition: partition, key: key, value: value, headers: headers)
        sent += 1
    }

    /// Writes `value` (>= 0) in decimal at the start of `buffer`; returns the digit count.
    private static func writeDecimal(_ value: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digits = 1, rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        return digits
    }

    /// Positions to store in a checkpoint. Call after a flush: every record with a lower
    /// sequence is then acknowledged, and later ones land above the highest acknowledged offset.
    func positions() -> [SinkPartitionPosition] {
        var out: [SinkPartitionPosition] = []
        for (t, topic) in topics.enumerated() {
            for p in 0..<Int(topic.partitions) {
                var from = scanFrom[t][p]
                if let acked = producer.highestAckedOffset(topic: topic.name, partition: Int32(p)) {
                    from = max(from, acked + 1)
                }
                scanFrom[t][p] = from
                out.append(SinkPartitionPosition(topic: topic.name, partition: Int32(p),
                                                 nextSequence: nextSequence[t][p], scanFrom: from))
            }
        }
        return out
    }
}
