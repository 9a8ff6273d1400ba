import Cluster
import Foundation
import Logging
import StreamCore
import TestSupport
import Testing

/// The jobmanager's side of transactional commits, through its heartbeat protocol with a
/// simulated taskmanager: a task that acknowledged checkpoint n is told to commit only once
/// every task of the job acknowledged it, the notice is repeated while the task still reports
/// holding (a lost answer), and it stops once the task reports the commit done.
@Suite struct CommitNoticeTests {
    @Test func commitIsOrderedOnlyWhenEveryTaskAcknowledgedAndRepeatedUntilDone() async throws {
        let dir = temporaryDirectory("notice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092")
        // Never declared lost: other suites' blocking work can starve this test's heartbeats for seconds.
        settings.lossTimeoutMs = 3_600_000
        let jobManager = JobManager(settings: settings, logger: Logger(label: "test")) { specs in
            // Two source partitions, so one task can acknowledge before the other.
            Dictionary(uniqueKeysWithValues: specs.flatMap(\.topics).map { ($0, 2) })
        }
        let yaml = try ClusterRun.jobsYAML(delivery: "transactional").components(separatedBy: "\n  - name: order-fraud")[0]
        let job = try jobManager.submit(yaml: yaml, bounded: false)[0].id
        let tm = jobManager.register(RegistrationRequest(host: "simulated", slots: 2)).taskManagerId
        jobManager.startTicking(everyMs: 10)
        defer { jobManager.stop() }

        func beat(_ tasks: [(partition: Int32, checkpoint: Int64, awaiting: Int64?)]) throws -> [TaskCommand] {
            let statuses = try tasks.map { try Self.status(job: job, partition: $0.partition, checkpoint: $0.checkpoint, awaiting: $0.awaiting) }
            return try #require(jobManager.heartbeat(from: tm, HeartbeatRequest(tasks: statuses))).commands
        }

        var commands: [TaskCommand] = []
        try await poll("both tasks placed") {
            commands = try beat([])
            return commands.filter { $0.kind == .start }.count == 2
        }
        var checkpoint: Int64 = 0
        try await poll("a checkpoint triggered on both running tasks") {
            commands = try beat([(0, 0, nil), (1, 0, nil)])
            checkpoint = commands.first { $0.kind == .checkpoint }?.checkpointId ?? 0
            return commands.filter { $0.kind == .checkpoint }.count == 2
        }

        // Task 0 acknowledged and holds; task 1 has not acknowledged: no commit for anyone.
        commands = try beat([(0, checkpoint, checkpoint), (1, 0, nil)])
        #expect(!commands.contains { $0.kind == .commit }, "\(commands)")
        #expect(commands.contains { $0.kind == .checkpoint && $0.key.partition == 1 })

        // Task 1 acknowledges: the checkpoint completes and both are told in this very answer.
        commands = try beat([(0, checkpoint, checkpoint), (1, checkpoint, checkpoint)])
        #expect(Set(commands.filter { $0.kind == .commit && $0.checkpointId == checkpoint }.map(\.key.partition)) == [0, 1], "\(commands)")
        #expect(jobManager.jobDetail(job)?.lastCompletedCheckpoint == checkpoint)

        // The answer was lost: both still report holding, and are told again.
        commands = try beat([(0, checkpoint, checkpoint), (1, checkpoint, checkpoint)])
        #expect(commands.filter { $0.kind == .commit }.count == 2, "\(commands)")

        // Committed: no more notices.
        commands = try beat([(0, checkpoint, nil), (1, checkpoint, nil)])
        #expect(!commands.contains { $0.kind == .commit }, "\(commands)")
    }

    /// A task's report as a taskmanager would send it.
    static func status(job: String, partition: Int32, checkpoint: Int64, awaiting: Int64? = nil, state: Slot.TaskState = .running,
                       error: String? = nil) throws -> TaskStatus {
        var fields: [String: Any] = [
            "key": ["jobId": job, "partition": partition], "slot": Int(partition), "state": state.rawValue, "attempt": 1,
            "nextOffset": 0, "endOffset": 0, "watermark": 0, "recordsIn": 0, "recordsOut": 0, "badRecords": 0,
            "lateRecords": 0, "lastCheckpointId": checkpoint, "lastCheckpointDurationMs": 0, "lastCheckpointBytes": 0,
            "lastCommittedCheckpointId": -1,
        ]
        if let awaiting { fields["awaitingCommit"] = awaiting }
        if let error { fields["error"] = error }
        return try JSONDecoder().decode(TaskStatus.self, from: JSONSerialization.data(withJSONObject: fields))
    }
}
