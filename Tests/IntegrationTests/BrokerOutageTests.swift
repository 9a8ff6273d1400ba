import Foundation
import TestSupport
import Testing

/// A local run whose Kafka cluster becomes unreachable mid-run (every embedded broker closes its
/// connections and refuses new ones) stalls, says why, and resumes when the brokers are back:
/// nothing lost, nothing twice.
@Suite(.serialized) struct BrokerOutageTests {
    @Test func aRunStallsWhileNoBrokerAnswersAndResumesExact() throws {
        let fixture = try ClusterFixture()
        try fixture.produceGenerated(count: 60_000)
        let dir = temporaryDirectory("broker-outage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 200ms")
        let jobs = "\(dir)/jobs.yaml"
        try yaml.write(toFile: jobs, atomically: true, encoding: .utf8)
        let checkpoints = "\(dir)/checkpoints"

        let run = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                        checkpointDir: checkpoints, slots: 1, logDir: dir)
        defer { if run.process.isRunning { run.kill9() } }
        while run.process.isRunning && !CheckpointDiskFullTests.published(checkpoint: 1, under: checkpoints) { usleep(2_000) }
        guard run.process.isRunning else { throw TestFailure("the run ended before the brokers went down: \(run.logText)") }
        try fixture.cluster.setBrokersDown()
        let deadline = Date().addingTimeInterval(60)
        while !run.logText.contains("task stalls: Kafka broker unreachable") && run.process.isRunning && Date() < deadline { usleep(20_000) }
        sleep(3)
        let stalled = run.process.isRunning
        try fixture.cluster.setBrokersUp()
        let log = run.logText
        #expect(stalled, "the run ended while the brokers were down: \(log.suffix(3000))")
        #expect(log.contains("task stalls: Kafka broker unreachable"), "\(log.suffix(3000))")

        let status = try run.wait(timeoutSeconds: 180)
        guard status == 0 else {
            let lines = run.logText.split(separator: "\n").filter { !$0.hasPrefix("%") }.suffix(40)
            throw TestFailure("the run exited \(status) after the brokers came back:\n\(lines.joined(separator: "\n"))")
        }
        #expect(run.logText.contains("task reaches Kafka again"))
        let check = try fixture.checkOutput()
        #expect(check.report.expected.count > 1000)
        #expect(check.isExact, "\(check)")
    }
}
