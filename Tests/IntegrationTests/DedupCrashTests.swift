import Foundation
import TestSupport
import Testing

/// `DedupJob` (a `dedup` step before a window) run by the real `jobmanager` binary over generated
/// customer events and killed with SIGKILL mid-run: the restarted run restores the dedup entries
/// from the checkpoint, so it drops exactly the repeats an uninterrupted run drops.
@Suite(.serialized) struct DedupCrashTests {
    /// Runs the job over the same generated input, killed at each of `crashes` and restarted
    /// until it completes; returns its output and the repeated input groups.
    static func run(crashingAt crashes: [String]) throws -> (output: [String], repeatedInput: Int) {
        let fixture = try ClusterFixture()
        try DedupJob.createTopics(in: fixture)
        // 20 customers at 20 events/s of event time: each repeats its event types every few seconds.
        try fixture.produceGenerated(count: 12_000, customers: 20)
        let dir = temporaryDirectory("dedup-crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/jobs.yaml"
        try DedupJob.yaml.write(toFile: file, atomically: true, encoding: .utf8)
        try JobManagerProcess.runThroughCrashes(crashes, jobsFile: file, bootstrapServers: fixture.cluster.bootstrapServers,
                                                checkpointDir: "\(dir)/checkpoints")
        let audit = try fixture.sequenceAudit(topics: DedupJob.topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
        return (try DedupJob.output(fixture), try DedupJob.repeatedInputGroups(fixture))
    }

    @Test func dedupJobKilledMidRunWritesWhatAnUninterruptedRunWrites() throws {
        let uninterrupted = try Self.run(crashingAt: [])
        #expect(uninterrupted.repeatedInput > 100, "the input repeats types within a window, for the dedup to drop")
        #expect(uninterrupted.output.filter { $0.hasPrefix("types.windows ") }.count > 500)
        let twice = DedupJob.windowsCountingATypeTwice(uninterrupted.output)
        #expect(twice.isEmpty, "\(twice.prefix(3))")
        for point in ["checkpoint-state-written:6", "checkpoint-published:8", "output-produced:6"] {
            #expect(try Self.run(crashingAt: [point]).output == uninterrupted.output, "killed at \(point)")
        }
    }
}
