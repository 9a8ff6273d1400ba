import Foundation
import TestSupport
import Testing

/// A `topN` window job run by the real `jobmanager` binary over generated customer events, killed
/// with SIGKILL at several moments and restarted: every firing ranks the restored rows as the
/// uninterrupted run ranked them, so the output is the same records, none twice.
@Suite(.serialized) struct TopNCrashTests {
    static let yaml = """
        jobs:
          - name: top-spenders
            source:
              topic: bss.customer.events
              key: data.customerId
              fields:
                - { path: data.customerId, type: string, required: true }
                - { path: data.amount,     type: number }
              watermark: { outOfOrderness: 2s }
            steps:
              - window: { kind: sliding, size: 1m, slide: 20s }
                aggregate:
                  - { name: events, count: "*" }
                  - { name: spent,  sum: data.amount }
                topN: { n: 3, by: spent, withTies: true }
            sinks:
              - { topic: spenders.top, format: json }
            late: { topic: spenders.late }
            deadLetter: { topic: spenders.dead }
            checkpointInterval: 50ms
        """
    static let topics = ["spenders.top", "spenders.late", "spenders.dead"]

    /// Runs the job killed at each of `crashes` and restarted until it completes; its output as
    /// "topic key value" lines, sorted.
    static func run(crashingAt crashes: [String]) throws -> [String] {
        let fixture = try ClusterFixture()
        for topic in topics { try fixture.cluster.createTopic(topic, partitions: fixture.partitions) }
        try fixture.produceGenerated(count: 20_000)
        let dir = temporaryDirectory("topn-crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/jobs.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        try JobManagerProcess.runThroughCrashes(crashes, jobsFile: file, bootstrapServers: fixture.cluster.bootstrapServers,
                                                checkpointDir: "\(dir)/checkpoints")
        let audit = try fixture.sequenceAudit(topics: topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
        return try topics.flatMap { topic in
            try fixture.read(topic).map { "\(topic) \(String(decoding: $0.key, as: UTF8.self)) \(String(decoding: $0.value, as: UTF8.self))" }
        }.sorted()
    }

    @Test func topNJobKilledAtSeveralMomentsWritesWhatAnUninterruptedRunWrites() throws {
        let uninterrupted = try Self.run(crashingAt: [])
        let ranked = uninterrupted.filter { $0.hasPrefix("spenders.top ") }
        #expect(ranked.count > 100)
        #expect(ranked.allSatisfy { $0.contains(#""rank":"#) })
        // Each from a fresh start, where every hit count below 9 is reached however fast the run
        // is: each of the 4 tasks checkpoints at its start and at its end.
        for point in ["output-produced:6", "checkpoint-state-written:6", "checkpoint-published:8"] {
            #expect(try Self.run(crashingAt: [point]) == uninterrupted, "killed at \(point)")
        }
    }
}
