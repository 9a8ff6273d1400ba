import Testing
import Synchronization
import StreamCore

/// Helpers shared by the Kafka tests: everything goes over TCP to a real embedded cluster.
enum KafkaTestKit {
    static func producer(_ cluster: EmbeddedKafkaCluster, _ extra: [String: String] = [:],
                         onDelivery: (@Sendable (DeliveryReport) -> Void)? = nil) throws -> KafkaProducer {
        try KafkaProducer(config: ["bootstrap.servers": cluster.bootstrapServers].merging(extra) { $1 },
                          onDelivery: onDelivery)
    }

    static func consumer(_ cluster: EmbeddedKafkaCluster, _ extra: [String: String] = [:]) throws -> KafkaConsumer {
        // The mock holds an empty fetch for fetch.wait.max.ms; keep tests quick.
        try KafkaConsumer(config: ["bootstrap.servers": cluster.bootstrapServers,
                                   "fetch.wait.max.ms": "50"].merging(extra) { $1 })
    }

    struct Record: Equatable {
        var partition: Int32
        var offset: Int64
        var key: [UInt8]
        var value: [UInt8]
        var headers: [String: [UInt8]]
    }

    /// Reads until `count` records arrived (or 30 s passed, so a broken build fails instead of hanging).
    static func read(_ consumer: KafkaConsumer, count: Int, headerNames: [String] = []) throws -> [Record] {
        var records: [Record] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while records.count < count && ContinuousClock.now < deadline {
            _ = try consumer.consumeBatch(maxRecords: 500, timeoutMs: 100) { view in
                var headers: [String: [UInt8]] = [:]
                for name in headerNames { if let value = view.header(name) { headers[name] = Array(value) } }
                records.append(Record(partition: view.partition, offset: view.offset,
                                      key: Array(view.key), value: Array(view.value), headers: headers))
            }
        }
        return records
    }

    /// A cluster whose one-partition topic `events` holds `count` records, keys `k0`, `k1`, … and
    /// values `v0`, `v1`, ….
    static func clusterWithRecords(_ count: Int) throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster)
        for i in 0..<count { try produce(producer, topic: "events", partition: 0, key: "k\(i)", value: "v\(i)") }
        try producer.flush(timeoutMs: 10_000)
        return cluster
    }

    static func produce(_ producer: KafkaProducer, topic: String, partition: Int32, key: String, value: String,
                        headers: [KafkaHeader] = []) throws {
        var key = key, value = value
        try key.withUTF8 { k in
            try value.withUTF8 { v in
                try producer.produce(topic: topic, partition: partition, key: UnsafeRawBufferPointer(k),
                                     value: UnsafeRawBufferPointer(v), headers: headers)
            }
        }
    }
}

@Suite struct KafkaProduceConsumeTests {
    @Test("records produced with headers to one partition come back in order with keys, values, headers intact")
    func roundTripFromBeginning() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 3)
        let producer = try KafkaTestKit.producer(cluster)
        let n = 1000
        for i in 0..<n {
            try KafkaTestKit.produce(producer, topic: "events", partition: 2, key: "k\(i)", value: "value-\(i)",
                                     headers: [KafkaHeader(name: "seq", value: "\(i)"),
                                               KafkaHeader(name: "dup", value: "first"),
                                               KafkaHeader(name: "dup", value: "last-\(i)")])
        }
        try producer.flush(timeoutMs: 10_000)

        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 2, offset: KafkaOffset.beginning)])
        let records = try KafkaTestKit.read(consumer, count: n, headerNames: ["seq", "dup", "absent"])

        #expect(records.count == n)
        #expect(records.map(\.offset) == (0..<Int64(n)).map { $0 })
        #expect(records.allSatisfy { $0.partition == 2 })
        for (i, record) in records.enumerated() {
            #expect(record.key == Array("k\(i)".utf8))
            #expect(record.value == Array("value-\(i)".utf8))
            #expect(record.headers == ["seq": Array("\(i)".utf8), "dup": Array("last-\(i)".utf8)])
        }
    }

    @Test("assigning an exact offset starts the read at that record")
    func readFromExactOffset() throws {
        let cluster = try KafkaTestKit.clusterWithRecords(100)
        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 0, offset: 37)])
        let records = try KafkaTestKit.read(consumer, count: 63)
        #expect(records.map(\.offset) == (37..<100).map { Int64($0) })
        #expect(records.first?.key == Array("k37".utf8))
        #expect(records.last?.value == Array("v99".utf8))
        #expect(consumer.cachedWatermarkOffsets(topic: "events", partition: 0)?.high == 100)
    }

    @Test("looking ahead, each record of a batch reaches `ahead` the given distance before `body`, then nil past the end")
    func lookaheadPrecedesBodyByTheDistance() throws {
        let cluster = try KafkaTestKit.clusterWithRecords(200)
        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 0, offset: 0)])
        let distance = 3
        var delivered: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while delivered.count < 200 && ContinuousClock.now < deadline {
            var events: [String] = []
            var batch: [String] = []
            _ = try consumer.consumeBatch(maxRecords: 64, timeoutMs: 100, lookingAhead: distance, { record in
                events.append("ahead " + (record.map { String(decoding: $0.key, as: UTF8.self) } ?? "nil"))
            }) { record in
                let key = String(decoding: record.key, as: UTF8.self)
                events.append("body " + key)
                batch.append(key)
            }
            var expected = batch.prefix(distance).map { "ahead " + $0 }
            for i in batch.indices {
                expected.append("ahead " + (i + distance < batch.count ? batch[i + distance] : "nil"))
                expected.append("body " + batch[i])
            }
            #expect(events == expected)
            delivered += batch
        }
        #expect(delivered == (0..<200).map { "k\($0)" })
    }

    @Test("partition EOF events are skipped, not thrown or counted")
    func eofIsSkipped() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster)
        for i in 0..<5 { try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "k", value: "\(i)") }
        try producer.flush(timeoutMs: 10_000)
        let consumer = try KafkaTestKit.consumer(cluster, ["enable.partition.eof": "true"])
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 0, offset: 0)])
        let records = try KafkaTestKit.read(consumer, count: 5)
        #expect(records.count == 5)
        // Further polls meet only EOF: nothing is delivered and nothing is thrown.
        for _ in 0..<3 { #expect(try consumer.consumeBatch(maxRecords: 10, timeoutMs: 100) { _ in } == 0) }
    }

    @Test("an out-of-range offset with auto.offset.reset=error is thrown from consumeBatch")
    func consumeErrorsAreThrown() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster)
        try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "k", value: "v")
        try producer.flush(timeoutMs: 10_000)
        let consumer = try KafkaTestKit.consumer(cluster, ["auto.offset.reset": "error"])
        try consumer.assign([TopicPartitionOffset(topic: "events", partition: 0, offset: 1000)])
        var thrown: KafkaError?
        let deadline = ContinuousClock.now + .seconds(30)
        while thrown == nil && ContinuousClock.now < deadline {
            do { _ = try consumer.consumeBatch(maxRecords: 10, timeoutMs: 100) { _ in } } catch let error as KafkaError { thrown = error }
        }
        #expect(thrown?.codeName == "_AUTO_OFFSET_RESET")
        #expect(thrown?.message.contains("events[0]") == true)
    }

    @Test("headers from a reused KafkaHeaderBuffer arrive like array headers; unset names are not sent")
    func headerBuffer() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("out", partitions: 1)
        let producer = try KafkaTestKit.producer(cluster)
        var headers = KafkaHeaderBuffer(names: ["seq", "origin"])
        for i in 0..<10 {
            headers.removeAllValues()
            headers.setValue(0, maxCount: 20) { buffer in
                let digits = Array("\(i)".utf8)
                buffer.copyBytes(from: digits)
                return digits.count
            }
            if i % 2 == 0 { headers.setValue(1, "even") }
            try [UInt8](repeating: UInt8(i), count: 3).withUnsafeBytes { value in
                try producer.produce(topic: "out", partition: 0, key: UnsafeRawBufferPointer(start: nil, count: 0),
                                     value: value, headers: headers)
            }
        }
        try producer.flush(timeoutMs: 10_000)

        let consumer = try KafkaTestKit.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: "out", partition: 0, offset: KafkaOffset.beginning)])
        let records = try KafkaTestKit.read(consumer, count: 10, headerNames: ["seq", "origin"])
        #expect(records.count == 10)
        for (i, record) in records.enumerated() {
            var expected = ["seq": Array("\(i)".utf8)]
            if i % 2 == 0 { expected["origin"] = Array("even".utf8) }
            #expect(record.headers == expected)
            #expect(record.value == [UInt8](repeating: UInt8(i), count: 3))
            #expect(record.key.isEmpty)
        }
    }

    @Test("watermarks match what was produced, per partition")
    func watermarks() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        try cluster.createTopic("events", partitions: 2)
        let producer = try KafkaTestKit.producer(cluster)
        for i in 0..<25 { try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "a", value: "\(i)") }
        for i in 0..<7 { try KafkaTestKit.produce(producer, topic: "events", partition: 1, key: "b", value: "\(i)") }
        try producer.flush(timeoutMs: 10_000)

        let consumer = try KafkaTestKit.consumer(cluster)
        let p0 = try consumer.watermarkOffsets(topic: "events", partition: 0, timeoutMs: 5000)
        let p1 = try consumer.watermarkOffsets(topic: "events", partition: 1, timeoutMs: 5000)
        #expect(p0.low == 0 && p0.high == 25)
        #expect(p1.low == 0 && p1.high == 7)
    }

    @Test("flush waits for every ack; highestAckedOffset and delivery reports name the last offsets")
    func flushAndAckedOffsets() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 2)
        let reports = KafkaReportLog()
        let producer = try KafkaTestKit.producer(cluster) { reports.add($0) }
        #expect(producer.highestAckedOffset(topic: "events", partition: 0) == nil)
        for i in 0..<500 { try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "k", value: "\(i)") }
        for i in 0..<3 { try KafkaTestKit.produce(producer, topic: "events", partition: 1, key: "k", value: "\(i)") }
        try producer.flush(timeoutMs: 10_000)

        #expect(producer.inFlight == 0)
        #expect(producer.deliveryError == nil)
        #expect(producer.highestAckedOffset(topic: "events", partition: 0) == 499)
        #expect(producer.highestAckedOffset(topic: "events", partition: 1) == 2)
        #expect(producer.highestAckedOffset(topic: "other", partition: 0) == nil)
        let all = reports.all
        #expect(all.count == 503)
        #expect(all.allSatisfy { $0.error == nil && $0.topic == "events" })
        #expect(all.filter { $0.partition == 0 }.map(\.offset).sorted() == (0..<500).map { Int64($0) })
    }

    @Test("producing to a partition the topic does not have fails at produce and is not counted in flight")
    func unknownPartition() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 2)
        let producer = try KafkaTestKit.producer(cluster)
        // Once metadata is known, librdkafka rejects the partition synchronously.
        _ = try producer.partitionCount(topic: "events", timeoutMs: 5000)
        try KafkaTestKit.produce(producer, topic: "events", partition: 0, key: "k", value: "v")
        try producer.flush(timeoutMs: 10_000)
        #expect(throws: KafkaError.self) {
            try KafkaTestKit.produce(producer, topic: "events", partition: 5, key: "k", value: "v",
                                     headers: [KafkaHeader(name: "h", value: "x")])
        }
        #expect(producer.inFlight == 0)
    }
}

final class KafkaReportLog: @unchecked Sendable {
    private let lock = Mutex<[DeliveryReport]>([])
    func add(_ report: DeliveryReport) { lock.withLock { $0.append(report) } }
    var all: [DeliveryReport] { lock.withLock { $0 } }
}
