import BSSTools
import Foundation
import Jobs
import StreamCore

/// A job with a `dedup` step before a tumbling window over the generated customer events: each
/// customer's event type passes once per minute of event time, so a 10 s window counts each type
/// at most once. What the dedup crash tests of local and cluster mode run.
public enum DedupJob {
    public static let yaml = """
        jobs:
          - name: customer-types
            source:
              topic: bss.customer.events
              key: data.customerId
              fields:
                - { path: data.customerId, type: string, required: true }
                - { path: data.eventType,  type: string, required: true }
              watermark: { outOfOrderness: 2s }
            steps:
              - id: type-once
                dedup: { key: "data.customerId || ':' || data.eventType", within: 1m }
              - window: { kind: tumbling, size: 10s }
                aggregate:
                  - { name: events, count: "*" }
                  - { name: types, countBy: data.eventType }
            sinks:
              - { topic: types.windows, format: json }
            late: { topic: types.late }
            deadLetter: { topic: types.dead }
            checkpointInterval: 50ms
        """

    public static let topics = ["types.windows", "types.late", "types.dead"]

    public static func createTopics(in fixture: ClusterFixture) throws {
        for topic in topics { try fixture.cluster.createTopic(topic, partitions: fixture.partitions) }
    }

    /// Every output record of the job, as "topic key value", sorted.
    public static func output(_ fixture: ClusterFixture) throws -> [String] {
        try topics.flatMap { topic in
            try fixture.read(topic).map { "\(topic) \(String(decoding: $0.key, as: UTF8.self)) \(String(decoding: $0.value, as: UTF8.self))" }
        }.sorted()
    }

    /// The result lines whose `types` counts a type more than once (none when the dedup works).
    public static func windowsCountingATypeTwice(_ output: [String]) -> [String] {
        output.filter { $0.hasPrefix("types.windows ") }.filter { line in
            guard let json = line.split(separator: " ", maxSplits: 2).last
                .flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }),
                  let types = json["types"] as? [String: Int] else { return true }
            return types.values.contains { $0 != 1 }
        }
    }

    /// (customer, type, 10 s of event time) groups of more than one input record: what the dedup
    /// has to drop for the windows to count each type once.
    public static func repeatedInputGroups(_ fixture: ClusterFixture) throws -> Int {
        var groups: [String: Int] = [:]
        for record in try fixture.read(BSSEventGenerator.customerTopic) {
            guard let json = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any],
                  let data = json["data"] as? [String: Any], let customer = data["customerId"] as? String,
                  let type = data["eventType"] as? String, let time = json["time"] as? String, time.count >= 19 else { continue }
            groups["\(customer) \(type) \(time.prefix(18))", default: 0] += 1
        }
        return groups.values.filter { $0 > 1 }.count
    }

    /// The job's output from an uninterrupted bounded run in this process over generated input.
    public static func uninterruptedOutput(eventsPerTopic: Int) throws -> [String] {
        let fixture = try ClusterFixture()
        try createTopics(in: fixture)
        try fixture.produceGenerated(count: eventsPerTopic)
        let dir = temporaryDirectory("dedup-reference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LocalJobRunner(jobs: try JobDefinitionLoader.load(yaml: yaml, file: "dedup.yaml"), options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: true, slots: 2, checkpointDir: dir)).run()
        return try output(fixture)
    }
}
