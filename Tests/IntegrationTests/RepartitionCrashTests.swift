import BSSTools
import Foundation
import StreamCore
import TestSupport
import Testing

/// order-fraud over a topic partitioned by order id (examples/order-fraud-by-order.yaml): its
/// `keyBy` makes it two stages joined by a repartition topic. A bounded run of the real
/// `jobmanager` binary, killed with SIGKILL in stage 1, in stage 2 or in both and restarted from
/// its checkpoints, writes exactly what docs/bss-jobs.md defines for the same orders partitioned
/// by customer: every window result and alert, nothing missing, nothing extra, none twice.
///
/// The generated orders are in order within the watermark's bound (no delayed records): which
/// delayed records are late depends on the watermark, which after a shuffle is the minimum over
/// the stage-1 tasks and so differs from a co-partitioned run's. And a customer's orders reach
/// its window interleaved from several stage-1 tasks, in another order than by customer, so a
/// sum may differ in its last bits: numbers are compared to 10 significant digits.
@Suite(.serialized) struct RepartitionCrashTests {
    static let orders = 20_000
    static let inputTopic = "bss.orders.by-order"
    static let repartitionTopic = "order-fraud.by-customer.repartition"

    struct Run {
        let fixture: ClusterFixture
        /// docs/bss-jobs.md's output for the orders partitioned by customer.
        let expected: [ExpectedRecord]
        /// The bad records' raw values (their dead letters name where each was read).
        let badValues: [String]
    }

    /// Produces the orders to the topic partitioned by order id, then runs the job through `crashes`.
    func run(crashes: [String]) throws -> Run {
        let fixture = try ClusterFixture()
        try fixture.cluster.createTopic(Self.inputTopic, partitions: fixture.partitions)
        try fixture.cluster.createTopic(Self.repartitionTopic, partitions: fixture.partitions)
        var options = BSSEventGenerator.Options()
        options.seed = 23
        options.customers = 200
        options.eventsPerSecond = 20
        options.lateFraction = 0
        options.partitions = fixture.partitions
        var generator = BSSEventGenerator(options: options)
        var byCustomer: [InputRecord] = [], offsets = [Int64](repeating: 0, count: Int(fixture.partitions))
        var byOrder: [(key: [UInt8], value: [UInt8])] = [], badValues: [String] = []
        for _ in 0..<Self.orders {
            let r = generator.nextOrderEvent()
            byCustomer.append(InputRecord(partition: r.partition, offset: offsets[Int(r.partition)], key: r.key, value: r.value))
            offsets[Int(r.partition)] += 1
            byOrder.append((Self.orderId(in: String(decoding: r.value, as: UTF8.self)).map { Array($0.utf8) } ?? r.key, r.value))
        }
        let expected = SpecReference.orderFraud(byCustomer)
        #expect(!expected.contains { $0.topic == "bss.order.events.late" }, "the input has no record later than the bound")
        badValues = expected.filter { $0.topic == "bss.deadletter" }.compactMap { Self.raw(of: $0.value) }
        try Self.produce(byOrder, to: Self.inputTopic, fixture: fixture)

        let dir = temporaryDirectory("repartition")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = try String(contentsOfFile: "\(packageRoot)/examples/order-fraud-by-order.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 50ms")
        let jobs = "\(dir)/jobs.yaml"
        try yaml.write(toFile: jobs, atomically: true, encoding: .utf8)
        try JobManagerProcess.runThroughCrashes(crashes, jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                                checkpointDir: "\(dir)/checkpoints")
        return Run(fixture: fixture, expected: expected, badValues: badValues)
    }

    func expectExactOutput(_ run: Run) throws {
        let results = ["bss.analytics.events", "bss.fraud.alerts"]
        let expected = run.expected.filter { results.contains($0.topic) }.map(Self.rounded)
        var actual: [ExpectedRecord] = []
        for topic in results {
            actual += try run.fixture.read(topic).map {
                Self.rounded(ExpectedRecord(topic: topic, key: String(decoding: $0.key, as: UTF8.self),
                                            value: SpecReference.canonical(topic: topic, value: $0.value)))
            }
        }
        #expect(expected.count > 5_000)
        #expect(expected.contains { $0.topic == "bss.fraud.alerts" })
        let missing = Self.unmatched(expected, in: actual), extra = Self.unmatched(actual, in: expected)
        #expect(missing.isEmpty && extra.isEmpty,
                "expected \(expected.count), found \(actual.count): \(missing.count) missing \(missing.prefix(2)), \(extra.count) extra \(extra.prefix(2))")
        #expect(try run.fixture.read("bss.order.events.late").isEmpty)

        let deadLetters = try run.fixture.values("bss.deadletter")
        #expect(!run.badValues.isEmpty)
        #expect(deadLetters.compactMap(Self.raw(of:)).sorted() == run.badValues.sorted())
        #expect(deadLetters.allSatisfy { $0.contains("\"topic\":\"\(Self.inputTopic)\"") })

        let audit = try run.fixture.sequenceAudit(topics: results + ["bss.deadletter", Self.repartitionTopic])
        #expect(audit.duplicates.isEmpty, "\(audit.duplicates.prefix(3))")
        #expect(audit.gaps.isEmpty, "\(audit.gaps.prefix(3))")
    }

    @Test func uninterruptedRunWritesWhatTheSpecDefinesForTheOrdersByCustomer() throws {
        let run = try run(crashes: [])
        try expectExactOutput(run)
        // Every order that passed stage 1 crossed the repartition topic keyed by its customer.
        let shuffled = try run.fixture.read(Self.repartitionTopic)
        let records = shuffled.filter { !$0.value.isEmpty }
        #expect(records.count == Self.orders - run.badValues.count)
        for r in records.prefix(200) {
            let key = String(decoding: r.key, as: UTF8.self)
            #expect(String(decoding: r.value, as: UTF8.self).contains("\"customerId\":\"\(key)\""))
            #expect(r.partition == r.key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: run.fixture.partitions) })
        }
        // Each stage-1 task ended by writing plus infinity into every partition.
        let ends = shuffled.filter { $0.value.isEmpty && String(decoding: $0.key, as: UTF8.self).hasSuffix(":\(Int64.max)") }
        #expect(ends.count == Int(run.fixture.partitions * run.fixture.partitions))
    }

    // Stage 1 has 4 tasks, each checkpointing at its start and its end: hit 6 of a checkpoint step
    // in one stage comes mid-run or at the latest as the stage ends.
    @Test(arguments: [
        ["output-produced:3:order-fraud.stage-1"],
        ["checkpoint-state-written:6:order-fraud.stage-1"],
        ["output-produced:12:order-fraud.stage-2"],
        ["checkpoint-flushed:6:order-fraud.stage-2"],
        ["checkpoint-published:6:order-fraud.stage-1", "output-produced:8:order-fraud.stage-2"],
    ])
    func killedInAStageAndRestartedWritesWhatTheSpecDefines(crashes: [String]) throws {
        try expectExactOutput(try run(crashes: crashes))
    }

    /// Each record's bytes as generated (bad UTF-8 included) to the partition of its key.
    static func produce(_ records: [(key: [UInt8], value: [UInt8])], to topic: String, fixture: ClusterFixture) throws {
        let producer = try KafkaProducer(config: fixture.kafka)
        for r in records {
            let partition = r.key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: fixture.partitions) }
            try r.key.withUnsafeBytes { k in
                try r.value.withUnsafeBytes { v in try producer.produce(topic: topic, partition: partition, key: k, value: v, headers: []) }
            }
        }
        try producer.flush(timeoutMs: 30_000)
    }

    /// The record with every number that has a fraction written to 10 significant digits.
    static func rounded(_ r: ExpectedRecord) -> ExpectedRecord {
        let pattern = try! NSRegularExpression(pattern: #"(?<=[:\[,])-?[0-9]+\.[0-9]+(e[-+]?[0-9]+)?"#)
        let text = r.value as NSString
        var out = r.value
        for m in pattern.matches(in: r.value, range: NSRange(location: 0, length: text.length)).reversed() {
            let number = Double(text.substring(with: m.range))!
            out = (out as NSString).replacingCharacters(in: m.range, with: String(format: "%.10g", number))
        }
        return ExpectedRecord(topic: r.topic, key: r.key, value: out)
    }

    static func orderId(in value: String) -> String? {
        guard let start = value.range(of: "\"orderId\":\"") else { return nil }
        guard let end = value[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(value[start.upperBound..<end])
    }

    /// The `raw` of a dead letter (in canonical JSON).
    static func raw(of deadLetter: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(deadLetter.utf8)) as? [String: Any] else { return nil }
        return object["raw"] as? String
    }

    static func unmatched(_ a: [ExpectedRecord], in b: [ExpectedRecord]) -> [ExpectedRecord] {
        var remaining: [ExpectedRecord: Int] = [:]
        for r in b { remaining[r, default: 0] += 1 }
        return a.filter { r in
            guard let n = remaining[r], n > 0 else { return true }
            remaining[r] = n - 1
            return false
        }
    }
}
