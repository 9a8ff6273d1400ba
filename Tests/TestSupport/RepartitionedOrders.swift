import BSSTools
import Foundation
import StreamCore

/// Generated orders on a topic partitioned by order id, for examples/order-fraud-by-order.yaml
/// (order-fraud behind a `keyBy`), and what docs/bss-jobs.md defines for the same orders
/// partitioned by customer. What the repartition crash tests of local and cluster mode run.
///
/// The orders are in order within the watermark's bound (no delayed records): which delayed
/// records are late depends on the watermark, which after a shuffle is the minimum over the
/// stage-1 tasks and so differs from a co-partitioned run's. And a customer's orders reach its
/// window interleaved from several stage-1 tasks, in another order than by customer, so a sum
/// may differ in its last bits: numbers with a fraction are compared to 10 significant digits.
public struct RepartitionedOrders {
    public static let inputTopic = "bss.orders.by-order"
    public static let repartitionTopic = "order-fraud.by-customer.repartition"
    public static let resultTopics = ["bss.analytics.events", "bss.fraud.alerts"]

    public let orders: Int
    /// docs/bss-jobs.md's window results and alerts for the orders partitioned by customer.
    public let expected: [ExpectedRecord]
    /// Late records the reference finds (none, for the comparison to hold).
    public let expectedLate: Int
    /// The bad records' raw values (their dead letters name where each was read).
    public let badValues: [String]

    /// Creates the input and repartition topics and produces `orders` generated orders, each to
    /// the partition of its order id (a record without one: of its customer).
    public init(orders: Int, fixture: ClusterFixture) throws {
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
        let producer = try KafkaProducer(config: fixture.kafka)
        for _ in 0..<orders {
            let r = generator.nextOrderEvent()
            byCustomer.append(InputRecord(partition: r.partition, offset: offsets[Int(r.partition)], key: r.key, value: r.value))
            offsets[Int(r.partition)] += 1
            // The bytes as generated, bad UTF-8 included.
            let key = Self.orderId(in: String(decoding: r.value, as: UTF8.self)).map { Array($0.utf8) } ?? r.key
            let partition = key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: fixture.partitions) }
            try key.withUnsafeBytes { k in
                try r.value.withUnsafeBytes { v in
                    try producer.produce(topic: Self.inputTopic, partition: partition, key: k, value: v, headers: [])
                }
            }
        }
        try producer.flush(timeoutMs: 30_000)
        self.orders = orders
        let all = SpecReference.orderFraud(byCustomer)
        expected = all.filter { Self.resultTopics.contains($0.topic) }.map(Self.rounded)
        expectedLate = all.filter { $0.topic == "bss.order.events.late" }.count
        badValues = all.filter { $0.topic == "bss.deadletter" }.compactMap { Self.raw(of: $0.value) }
    }

    /// The example job, checkpointing every `checkpointInterval`.
    public static func yaml(checkpointInterval: String) throws -> String {
        try String(contentsOfFile: "\(packageRoot)/examples/order-fraud-by-order.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: \(checkpointInterval)")
    }

    /// How what the job wrote differs from what it must have written.
    public struct Comparison: CustomStringConvertible {
        public var expected = 0, found = 0
        public var missing: [ExpectedRecord] = [], extra: [ExpectedRecord] = []
        public var lateRecords = 0
        /// Dead letters whose raw value is no bad record's, or bad records without one.
        public var deadLettersDiffer = false
        /// Dead letters that do not name the input topic.
        public var deadLettersElsewhere = 0
        public var duplicates: [String] = [], gaps: [String] = []

        public var isExact: Bool {
            missing.isEmpty && extra.isEmpty && lateRecords == 0 && !deadLettersDiffer && deadLettersElsewhere == 0
                && duplicates.isEmpty && gaps.isEmpty
        }

        public var description: String {
            "expected \(expected), found \(found): \(missing.count) missing \(missing.prefix(2)), \(extra.count) extra \(extra.prefix(2)); "
                + "late \(lateRecords), dead letters differ \(deadLettersDiffer), elsewhere \(deadLettersElsewhere); "
                + "duplicate sequences \(duplicates.prefix(3)), gaps \(gaps.prefix(3))"
        }
    }

    public func compare(with fixture: ClusterFixture) throws -> Comparison {
        var c = Comparison()
        var actual: [ExpectedRecord] = []
        for topic in Self.resultTopics {
            actual += try fixture.read(topic).map {
                Self.rounded(ExpectedRecord(topic: topic, key: String(decoding: $0.key, as: UTF8.self),
                                            value: SpecReference.canonical(topic: topic, value: $0.value)))
            }
        }
        c.expected = expected.count
        c.found = actual.count
        c.missing = Self.unmatched(expected, in: actual)
        c.extra = Self.unmatched(actual, in: expected)
        c.lateRecords = try fixture.read("bss.order.events.late").count
        let deadLetters = try fixture.values("bss.deadletter")
        c.deadLettersDiffer = deadLetters.compactMap(Self.raw(of:)).sorted() != badValues.sorted()
        c.deadLettersElsewhere = deadLetters.filter { !$0.contains("\"topic\":\"\(Self.inputTopic)\"") }.count
        let audit = try fixture.sequenceAudit(topics: Self.resultTopics + ["bss.deadletter", Self.repartitionTopic])
        c.duplicates = audit.duplicates
        c.gaps = audit.gaps
        return c
    }

    static func orderId(in value: String) -> String? {
        guard let start = value.range(of: "\"orderId\":\""), let end = value[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(value[start.upperBound..<end])
    }

    /// The `raw` of a dead letter.
    static func raw(of deadLetter: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(deadLetter.utf8)) as? [String: Any] else { return nil }
        return object["raw"] as? String
    }

    /// A JSON number with a fraction, after `:`, `[` or `,`; compiled once for the thousands of records compared.
    nonisolated(unsafe) static let fractionNumber = try! NSRegularExpression(pattern: #"(?<=[:\[,])-?[0-9]+\.[0-9]+(e[-+]?[0-9]+)?"#)

    /// The record with every number that has a fraction written to 10 significant digits.
    static func rounded(_ r: ExpectedRecord) -> ExpectedRecord {
        let pattern = fractionNumber
        var out = r.value
        for m in pattern.matches(in: r.value, range: NSRange(location: 0, length: (r.value as NSString).length)).reversed() {
            let number = Double((r.value as NSString).substring(with: m.range))!
            out = (out as NSString).replacingCharacters(in: m.range, with: String(format: "%.10g", number))
        }
        return ExpectedRecord(topic: r.topic, key: r.key, value: out)
    }

    /// Multiset difference: the records of `a` left once each record of `b` cancels one equal record.
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
