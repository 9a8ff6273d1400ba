import BSSTools
import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// Jobs beyond the BSS shape on the embedded cluster (Kafka protocol over TCP) with real RocksDB
/// state: a filter, computed fields and a session window over plain JSON with two routed sinks,
/// exact on hand-made input; a session job killed with SIGKILL and restarted writes what an
/// uninterrupted run writes.
@Suite(.serialized) struct PipelineJobsTests {
    static let examples = "\(packageRoot)/examples"

    /// An embedded cluster holding the topics of the jobs in `file`.
    static func cluster(for file: String) throws -> (EmbeddedKafkaCluster, [JobSpec]) {
        let jobs = try JobDefinitionLoader.load(path: file)
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        for topic in Set(jobs.flatMap(\.topics)).sorted() { try cluster.createTopic(topic, partitions: 2) }
        return (cluster, jobs)
    }

    static func produce(_ cluster: EmbeddedKafkaCluster, _ topic: String, _ records: [(key: String, value: String)]) throws {
        let producer = try KafkaProducer(config: ["bootstrap.servers": cluster.bootstrapServers])
        for r in records {
            let key = Array(r.key.utf8), value = Array(r.value.utf8)
            let partition = key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: 2) }
            try key.withUnsafeBytes { k in
                try value.withUnsafeBytes { v in try producer.produce(topic: topic, partition: partition, key: k, value: v, headers: []) }
            }
        }
        try producer.flush(timeoutMs: 30_000)
    }

    static func values(_ cluster: EmbeddedKafkaCluster, _ topic: String) throws -> [String] {
        try TopicContents.read(topic: topic, kafka: ["bootstrap.servers": cluster.bootstrapServers])
            .map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test func checkoutSessionsFiltersComputesAndRoutesExactSessions() throws {
        let (cluster, jobs) = try Self.cluster(for: "\(Self.examples)/checkout-visits.yaml")
        let t0: Int64 = 1_762_250_400_000   // 2025-11-04T10:00:00Z
        func event(_ customer: String, _ seconds: Int64, _ action: String, amount: Double? = nil,
                   currency: String = "EUR", test: Bool? = nil) -> (key: String, value: String) {
            let amountField = amount.map { ",\"amount\":\($0)" } ?? ""
            let testField = test.map { ",\"test\":\($0)" } ?? ""
            return (customer, #"{"customer":"\#(customer)","ts":\#(t0 + seconds * 1000),"action":"\#(action)"\#(amountField),"currency":"\#(currency)"\#(testField)}"#)
        }
        try Self.produce(cluster, "shop.events", [
            event("c1", 0, "purchase", amount: 120, currency: "USD"),
            event("c1", 1_200, "view"),                                   // 20 min later: same session
            event("c1", 1_300, "purchase", amount: 999, test: true),      // test traffic: filtered out
            event("c2", 60, "purchase", amount: 600),
            event("c2", 60 + 1_800, "view"),                              // exactly at the end: joins
            event("c2", 60 + 1_800 + 1_801, "purchase", amount: 5),       // a gap of 30 min 1 s: a new session
            ("c3", #"{"customer":"c3","ts":"soon","action":"view"}"#),    // not epoch millis: a dead letter
        ])
        let dir = temporaryDirectory("checkout")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LocalJobRunner(jobs: jobs, options: .init(bootstrapServers: cluster.bootstrapServers, bounded: true,
                                                      slots: 2, checkpointDir: dir)).run()

        let c1 = #"{"customer":"c1","windowStart":"2025-11-04T10:00:00.000Z","windowEnd":"2025-11-04T10:50:00.000Z","events":2,"purchases":1,"spentEur":110.4,"sizes":{"large":1,"small":1},"revision":0}"#
        let c2a = #"{"customer":"c2","windowStart":"2025-11-04T10:01:00.000Z","windowEnd":"2025-11-04T11:01:00.000Z","events":2,"purchases":1,"spentEur":600.0,"sizes":{"large":1,"small":1},"revision":0}"#
        let c2b = #"{"customer":"c2","windowStart":"2025-11-04T11:01:01.000Z","windowEnd":"2025-11-04T11:31:01.000Z","events":1,"purchases":1,"spentEur":5.0,"sizes":{"small":1},"revision":0}"#
        #expect(Set(try Self.values(cluster, "shop.visits")) == [c1, c2a, c2b])
        #expect(try Self.values(cluster, "shop.visits.large") == [c2a])
        let dead = try Self.values(cluster, "shop.deadletter")
        #expect(dead.count == 1 && dead[0].contains(#""error":"field ts is not a number""#), "\(dead)")
        #expect(try Self.values(cluster, "shop.events.late").isEmpty)
    }

    /// Runs the session job over generated input, killed at each of `crashes` and restarted.
    static func runSessions(crashingAt crashes: [String]) throws -> [String] {
        let fixture = try ClusterFixture()
        try SessionJob.createTopics(in: fixture)
        try fixture.produceGenerated(count: 20_000)
        let dir = temporaryDirectory("sessions")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/sessions.yaml"
        try SessionJob.yaml.write(toFile: file, atomically: true, encoding: .utf8)
        try JobManagerProcess.runThroughCrashes(crashes, jobsFile: file, bootstrapServers: fixture.cluster.bootstrapServers,
                                                checkpointDir: "\(dir)/checkpoints")
        let audit = try fixture.sequenceAudit(topics: SessionJob.topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
        return try SessionJob.output(fixture)
    }

    @Test func sessionJobKilledAtSeveralMomentsWritesWhatAnUninterruptedRunWrites() throws {
        let uninterrupted = try Self.runSessions(crashingAt: [])
        #expect(uninterrupted.count > 1_000)
        #expect(uninterrupted.contains { $0.hasPrefix("sessions.big ") })
        #expect(uninterrupted.contains { $0.hasPrefix("sessions.late ") })
        #expect(uninterrupted.contains { $0.contains(#""revision":1"#) }, "late records re-fire sessions")
        // Each from a fresh start, where every hit count below 9 is reached however fast the run
        // is: each of the 4 tasks checkpoints at its start and at its end.
        for point in ["output-produced:6", "checkpoint-state-written:6", "checkpoint-published:8"] {
            #expect(try Self.runSessions(crashingAt: [point]) == uninterrupted, "killed at \(point)")
        }
    }
}
