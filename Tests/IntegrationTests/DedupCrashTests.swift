import Foundation
import TestSupport
import Testing

/// A job with a `dedup` step before a window, run by the real `jobmanager` binary over generated
/// customer events and killed with SIGKILL mid-run: the restarted run restores the dedup entries
/// from the checkpoint, so it drops exactly the repeats an uninterrupted run drops.
@Suite(.serialized) struct DedupCrashTests {
    static let yaml = """
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
                dedup: { key: "data.customerId || ':' || data.eventType", within: 20s }
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
    static let topics = ["types.windows", "types.late", "types.dead"]

    /// Runs the job over the same generated input, killed at each of `crashes` and restarted
    /// until it completes; returns every output record as "topic key value", sorted.
    static func run(crashingAt crashes: [String]) throws -> (output: [String], repeatedInput: Int) {
        let fixture = try ClusterFixture()
        for topic in topics { try fixture.cluster.createTopic(topic, partitions: fixture.partitions) }
        // 20 customers at 20 events/s of event time: each repeats its event types every few seconds.
        try fixture.produceGenerated(count: 12_000, customers: 20)
        let dir = temporaryDirectory("dedup-crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/jobs.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        for crash in crashes {
            let run = try JobManagerProcess(jobsFile: file, bootstrapServers: fixture.cluster.bootstrapServers,
                                            checkpointDir: "\(dir)/checkpoints", crashAt: crash)
            let status = try run.wait()
            guard status == -SIGKILL else { throw TestFailure("run with a crash at \(crash) ended with \(status): \(run.logText)") }
        }
        let last = try JobManagerProcess(jobsFile: file, bootstrapServers: fixture.cluster.bootstrapServers,
                                         checkpointDir: "\(dir)/checkpoints")
        let status = try last.wait()
        guard status == 0 else { throw TestFailure("final run exited \(status): \(last.logText)") }
        let audit = try fixture.sequenceAudit(topics: topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
        let output = try topics.flatMap { topic in
            try fixture.read(topic).map { "\(topic) \(String(decoding: $0.key, as: UTF8.self)) \(String(decoding: $0.value, as: UTF8.self))" }
        }.sorted()
        // (customer, type, 10 s window) groups of more than one input record: what the dedup had to drop.
        var groups: [String: Int] = [:]
        for record in try fixture.read("bss.customer.events") {
            guard let json = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any],
                  let data = json["data"] as? [String: Any], let customer = data["customerId"] as? String,
                  let type = data["eventType"] as? String, let time = json["time"] as? String, time.count >= 19 else { continue }
            groups["\(customer) \(type) \(time.prefix(18))", default: 0] += 1
        }
        return (output, groups.values.filter { $0 > 1 }.count)
    }

    @Test func dedupJobKilledMidRunWritesWhatAnUninterruptedRunWrites() throws {
        let uninterrupted = try Self.run(crashingAt: [])
        #expect(uninterrupted.repeatedInput > 100, "the input repeats types within a window, for the dedup to drop")
        let windows = uninterrupted.output.filter { $0.hasPrefix("types.windows ") }
        #expect(windows.count > 500)
        // Within 20 s of event time a customer's type passes once, so a 10 s window counts each once.
        let repeated = windows.filter { line in
            guard let json = line.split(separator: " ", maxSplits: 2).last.flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }),
                  let types = json["types"] as? [String: Int] else { return true }
            return types.values.contains { $0 != 1 }
        }
        #expect(repeated.isEmpty, "\(repeated.prefix(3))")
        for point in ["checkpoint-state-written:6", "checkpoint-published:8", "output-produced:6"] {
            #expect(try Self.run(crashingAt: [point]).output == uninterrupted.output, "killed at \(point)")
        }
    }
}
