import Cluster
import Foundation
import Logging
import StreamCore
import TestSupport
import Testing

/// The jobmanager's side of a stop, through its heartbeat protocol with a simulated taskmanager:
/// every task is told to drain, checkpoint and stop; when one of them fails instead, the stop
/// fails with the cause, and the job runs on with every task started again.
@Suite struct StopProtocolTests {
    @Test func aTaskFailingDuringAStopFailsItAndTheJobRunsOn() async throws {
        let dir = temporaryDirectory("stop-protocol")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092")
        // Never declared lost: other suites' blocking work can starve this test's heartbeats for seconds.
        settings.lossTimeoutMs = 3_600_000
        let jobManager = JobManager(settings: settings, logger: Logger(label: "test")) { specs in
            Dictionary(uniqueKeysWithValues: specs.flatMap(\.topics).map { ($0, 2) })
        }
        let yaml = try ClusterRun.jobsYAML().components(separatedBy: "\n  - name: order-fraud")[0]
        let job = try jobManager.submit(yaml: yaml, bounded: false)[0].id
        let tm = jobManager.register(RegistrationRequest(host: "simulated", slots: 2)).taskManagerId
        jobManager.startTicking(everyMs: 10)
        defer { jobManager.stop() }

        func beat(_ tasks: [TaskStatus]) throws -> [TaskCommand] {
            try #require(jobManager.heartbeat(from: tm, HeartbeatRequest(tasks: tasks))).commands
        }
        func running(_ partition: Int32, checkpoint: Int64 = 0) throws -> TaskStatus {
            try CommitNoticeTests.status(job: job, partition: partition, checkpoint: checkpoint)
        }
        try await poll("both tasks placed") { try beat([]).filter { $0.kind == .start }.count == 2 }
        _ = try beat([running(0), running(1)])

        // Refused while another stop is under way; then every task is told to drain, checkpoint and stop.
        let stop = try jobManager.requestSavepoint(job, kind: .stop, drain: true)
        #expect(throws: SavepointRequestError.self) { try jobManager.requestSavepoint(job, kind: .savepoint) }
        var commands: [TaskCommand] = []
        try await poll("the stop's checkpoint sent to both tasks") {
            commands = try beat([running(0), running(1)])
            return commands.filter { $0.kind == .checkpointAndStop && $0.drain == true }.count == 2
        }
        let checkpoint = try #require(commands.first?.checkpointId)

        // Task 0 checkpoints and stops; task 1 fails.
        commands = try beat([
            CommitNoticeTests.status(job: job, partition: 0, checkpoint: checkpoint, state: .stopped),
            CommitNoticeTests.status(job: job, partition: 1, checkpoint: 0, state: .failed, error: "disk on fire"),
        ])
        #expect(Set(commands.filter { $0.kind == .cancel }.map(\.key.partition)) == [0, 1], "\(commands)")
        var ended: SavepointOperation?
        try await poll("the stop ended") {
            ended = jobManager.savepoints(job)?.first { $0.requestId == stop.requestId }
            return ended?.status != .inProgress
        }
        #expect(ended?.status == .failed)
        #expect(ended?.failureCause?.contains("checkpoint \(checkpoint) failed: task 1 failed") == true, "\(String(describing: ended))")
        #expect(jobManager.jobDetail(job)?.state == .running)
        // The stopped task starts again at once, the failed one after its backoff.
        try await poll("the stopped task started again") { try beat([]).contains { $0.kind == .start && $0.key.partition == 0 } }
        try await poll("the failed task started again", timeoutSeconds: 30) {
            try beat([running(0)]).contains { $0.kind == .start && $0.key.partition == 1 }
        }
    }
}
