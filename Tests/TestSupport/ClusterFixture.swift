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
    public func produceGenerated(count: Int, customers: Int = 200, eventTimeRate: Int = 20, seed: UInt64 = 11) throws {
        var options = BSSEventProducer.Options()
        options.count = count
        options.customers = customers
        options.eventTimeRate = eventTimeRate
        options.seed = seed
        _ = try BSSEventProducer.produce(kafka: kafka, options: options)
    }

    public func read(_ topic: String) throws -> [StoredRecord] {
        try TopicContents.read(topic: topic, kafka: kafka)
    }

    public func values(_ topic: String) throws -> [String] {
        try read(topic).map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Output topics compared with what docs/bss-jobs.md says both jobs must have written from the input topics.
    public func verify() throws -> BSSOutputVerification.Report {
        try BSSOutputVerification.verify(kafka: kafka)
    }

    /// Every output record's (task, topic, partition, sequence), read once. Each task numbers its
    /// records on a partition 0, 1, 2, …: a number found twice is a record written twice, a number
    /// missing below the highest a record lost. Each gap names the records on either side (offset, attempt).
    public func sequenceAudit(topics: [String] = BSSOutputVerification.outputTopics) throws -> (duplicates: [String], gaps: [String]) {
        var duplicates: [String] = [], gaps: [String] = []
        for topic in topics {
            let byWriter = Dictionary(grouping: try read(topic)) { "\($0.task ?? "?") \(topic)/\($0.partition)" }
            for (writer, written) in byWriter.sorted(by: { $0.key < $1.key }) {
                var expected: Int64 = 0
                var previous: StoredRecord?
                for r in written.sorted(by: { ($0.sequence ?? -1) < ($1.sequence ?? -1) }) {
                    let sequence = r.sequence ?? -1
                    if let previous, (previous.sequence ?? -1) == sequence { duplicates.append("\(writer) #\(sequence)") }
                    if sequence > expected {
                        let before = previous.map { "offset \($0.offset) attempt \($0.attempt ?? -1)" } ?? "none"
                        gaps.append("\(writer) #\(expected)-\(sequence - 1) missing (before: \(before); after: offset \(r.offset) attempt \(r.attempt ?? -1))")
                    }
                    expected = max(expected, sequence + 1)
                    previous = r
                }
            }
        }
        return (duplicates, gaps)
    }
}

public func temporaryDirectory(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// How the output topics differ from what docs/bss-jobs.md defines for the input topics, and whether any
/// task's numbering shows a record written twice or lost.
public struct OutputCheck: CustomStringConvertible {
    public let report: BSSOutputVerification.Report
    public let duplicates: [String]
    public let gaps: [String]
    public var isExact: Bool { report.exact && duplicates.isEmpty && gaps.isEmpty }
    public var description: String {
        "\(report.summary)\nduplicate sequences: \(duplicates.prefix(3))\nsequence gaps: \(gaps.prefix(5))"
    }
}

extension ClusterFixture {
    public func checkOutput() throws -> OutputCheck {
        let audit = try sequenceAudit()
        return OutputCheck(report: try verify(), duplicates: audit.duplicates, gaps: audit.gaps)
    }
}
