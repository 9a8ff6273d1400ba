import Foundation
import Jobs
import StreamCore

/// A session-window job over the generated customer events, with a filter, a computed field,
/// allowed lateness (so sessions re-fire and merge late) and two sinks: what the crash tests of
/// local and cluster mode run.
public enum SessionJob {
    public static let yaml = """
        jobs:
          - name: customer-sessions
            source:
              topic: bss.customer.events
              key: data.customerId
              fields:
                - { path: data.customerId, type: string, required: true }
                - { path: data.eventType,  type: string, required: true }
                - { path: data.amount,     type: number }
              watermark: { outOfOrderness: 2s }
            steps:
              - filter: data.eventType <> 'SUPPORT_CALL'
              - set: { cents: "CAST(COALESCE(data.amount, 0) * 100 AS BIGINT)" }
              - window: { kind: session, gap: 15s, allowedLateness: 5s }
                aggregate:
                  - { name: events, count: "*" }
                  - { name: spentCents, sum: cents }
                  - { name: types, countBy: data.eventType }
            sinks:
              - { topic: sessions.all, format: json }
              - { topic: sessions.big, type: bss.session, source: /stream/sessions, when: spentCents >= 20000 }
            late: { topic: sessions.late }
            deadLetter: { topic: sessions.dead }
            checkpointInterval: 50ms
        """

    public static let topics = ["sessions.all", "sessions.big", "sessions.late", "sessions.dead"]

    /// Creates the job's output topics in the fixture's cluster.
    public static func createTopics(in fixture: ClusterFixture) throws {
        for topic in topics { try fixture.cluster.createTopic(topic, partitions: fixture.partitions) }
    }

    /// Every output record of the job, as "topic key value", sorted.
    public static func output(_ fixture: ClusterFixture) throws -> [String] {
        try topics.flatMap { topic in
            try fixture.read(topic).map { "\(topic) \(String(decoding: $0.key, as: UTF8.self)) \(String(decoding: $0.value, as: UTF8.self))" }
        }.sorted()
    }

    /// The job's output from an uninterrupted bounded run in this process over generated input.
    public static func uninterruptedOutput(eventsPerTopic: Int) throws -> [String] {
        let fixture = try ClusterFixture()
        try createTopics(in: fixture)
        try fixture.produceGenerated(count: eventsPerTopic)
        let dir = temporaryDirectory("sessions-reference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LocalJobRunner(jobs: try JobDefinitionLoader.load(yaml: yaml, file: "sessions.yaml"), options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: true, slots: 2, checkpointDir: dir)).run()
        return try output(fixture)
    }
}
