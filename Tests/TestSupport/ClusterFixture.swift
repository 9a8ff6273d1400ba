import BSSTools
import Foundation
import Jobs
import StreamCore

/// The repository root, for jobs.yaml and the built binaries.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// An embedded Kafka-protocol cluster (real TCP) with the topics of jobs.yaml.
public final class ClusterFixture {
    public let cluster: EmbeddedKafkaCluster
    public let jobs: [JobSpec]
    public let partitions: Int32
    public var kafka: [String: String] { ["bootstrap.servers": cluster.bootstrapServers] }

    public init(partitions: Int32 = 4) throws {
        self.partitions = partitions
        cluster = try EmbeddedKafkaCluster(brokers: 3)
        jobs = try JobDefinitionLoader.load(path: "\(packageRoot)/jobs.yaml")
        for topic in Set(jobs.flatMap(\.topics)).sorted() {
            try cluster.createTopic(topic, partitions: partitions)
        }
    }

    public func job(_ name: String) -> JobSpec { jobs.first { $0.name == name }! }

    /// Produces records, each to the partition Kafka's default partitioner gives its key.
    public func produce(_ topic: String, _ records: [(key: String, value: String)]) throws {
        let producer = try KafkaProducer(config: kafka)
        for r in records {
            let key = Array(r.key.utf8), value = Array(r.value.utf8)
            let partition = key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: partitions) }
            try key.withUnsafeBytes { k in
                try value.withUnsafeBytes { v in
                    try producer.produce(topic: topic, partition: partition, key: k, value: v, headers: [])
                }
            }
        }
        try producer.flush(timeoutMs: 30_000)
    }

    /// Produces generated BSS events: `count` per input topic, at a simulated rate low enough that
    /// windows close throughout the input, not only at its end.
    public func produceGenerated(count: Int, customers: Int = 200, eventsPerSecond: Int = 20, seed: UInt64 = 11) throws {
        var options = BSSEventGenerator.Options()
        options.seed = seed
        options.eventsPerSecond = eventsPerSecond
        options.customers = customers
        options.partitions = partitions
        var customerEvents = BSSEventGenerator(options: options)
        var orderEvents = BSSEventGenerator(options: options)
        let producer = try KafkaProducer(config: kafka)
        for _ in 0..<count {
            for r in [customerEvents.nextCustomerEvent(), orderEvents.nextOrderEvent()] {
                try r.key.withUnsafeBytes { k in
                    try r.value.withUnsafeBytes { v in
                        try producer.produce(topic: r.topic, partition: r.partition, key: k, value: v, headers: [])
                    }
                }
            }
        }
        try producer.flush(timeoutMs: 60_000)
    }

    public func read(_ topic: String) throws -> [StoredRecord] {
        try TopicContents.read(topic: topic, kafka: kafka)
    }

    public func values(_ topic: String) throws -> [String] {
        try read(topic).map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// What SPEC.md says both jobs must have written, from what the input topics hold.
    public func expectedOutput() throws -> [ExpectedRecord] {
        func inputs(_ topic: String) throws -> [InputRecord] {
            try read(topic).map { InputRecord(partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value) }
        }
        return SpecReference.customerAnalytics(try inputs("bss.customer.events"))
            + SpecReference.orderFraud(try inputs("bss.order.events"))
    }

    public static let outputTopics = ["bss.analytics.events", "bss.fraud.alerts", "bss.customer.events.late",
                               "bss.order.events.late", "bss.deadletter"]

    /// What the output topics hold, in the reference's canonical form.
    public func actualOutput() throws -> [ExpectedRecord] {
        try ClusterFixture.outputTopics.flatMap { topic in
            try read(topic).map {
                ExpectedRecord(topic: topic, key: String(decoding: $0.key, as: UTF8.self),
                               value: SpecReference.canonical(topic: topic, value: $0.value))
            }
        }
    }

    /// Every output record's (task, topic, partition, sequence): a duplicate means a record was written twice.
    public func duplicateSequences() throws -> [String] {
        var seen = Set<String>(), duplicates: [String] = []
        for topic in ClusterFixture.outputTopics {
            for r in try read(topic) {
                let id = "\(r.task ?? "?") \(topic)/\(r.partition) #\(r.sequence ?? -1)"
                if !seen.insert(id).inserted { duplicates.append(id) }
            }
        }
        return duplicates
    }
}

/// Multiset difference: records in `a` not matched by one in `b`.
public func unmatched(_ a: [ExpectedRecord], in b: [ExpectedRecord]) -> [ExpectedRecord] {
    var remaining: [ExpectedRecord: Int] = [:]
    for r in b { remaining[r, default: 0] += 1 }
    var out: [ExpectedRecord] = []
    for r in a {
        if let n = remaining[r], n > 0 { remaining[r] = n - 1 } else { out.append(r) }
    }
    return out
}

public func temporaryDirectory(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// How the output topics differ from what SPEC.md defines for the input topics.
public struct OutputCheck: CustomStringConvertible {
    public let expected: Int
    public let missing: [ExpectedRecord]
    public let extra: [ExpectedRecord]
    public let duplicates: [String]
    public var isExact: Bool { missing.isEmpty && extra.isEmpty && duplicates.isEmpty }
    public var description: String {
        "expected \(expected): missing \(missing.count) \(missing.prefix(2)), extra \(extra.count) \(extra.prefix(2)), duplicate sequences \(duplicates.prefix(3))"
    }
}

extension ClusterFixture {
    public func checkOutput() throws -> OutputCheck {
        let expected = try expectedOutput()
        let actual = try actualOutput()
        return OutputCheck(expected: expected.count, missing: unmatched(expected, in: actual),
                           extra: unmatched(actual, in: expected), duplicates: try duplicateSequences())
    }
}
