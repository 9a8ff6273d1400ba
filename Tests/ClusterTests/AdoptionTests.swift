import Cluster
import Foundation
import Logging
import StreamCore
import TestSupport
import Testing

/// The jobmanager's side of adoption, through its registration protocol with simulated
/// taskmanagers: which reported tasks it keeps, which it cancels, and how long a recovered job
/// holds back the tasks nobody reported.
@Suite struct AdoptionTests {
    let dir = temporaryDirectory("adoption")

    func jobManager() -> JobManager {
        var settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092")
        settings.lossTimeoutMs = 3_600_000
        return JobManager(settings: settings, logger: Logger(label: "test")) { specs in
            Dictionary(uniqueKeysWithValues: specs.flatMap(\.topics).map { ($0, 2) })
        }
    }

    /// The customer-analytics job of jobs.yaml, two tasks.
    func submit(_ jm: JobManager) throws -> RestViews.JobSummary {
        try jm.submit(yaml: try ClusterRun.jobsYAML().components(separatedBy: "\n  - name: order-fraud")[0], bounded: false)[0]
    }

    /// What a task's start leaves on the shared disk: the number of its latest attempt.
    func attemptStarted(_ attempt: Int, job: RestViews.JobSummary, partition: Int32) throws {
        let path = TaskCheckpointDirectory(root: "\(dir)/\(job.id)", job: job.name, partition: partition).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try String(attempt).write(toFile: "\(path)/ATTEMPT", atomically: true, encoding: .utf8)
    }

    @Test func onlyTheLatestAttemptOfAnUnplacedTaskIsAdoptedAndOneClaimWins() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jm = jobManager()
        let job = try submit(jm)
        try attemptStarted(1, job: job, partition: 0)
        try attemptStarted(2, job: job, partition: 1)

        // A runs task 0's latest attempt and a zombie of task 1 (attempt 1, replaced by 2).
        let a = jm.register(RegistrationRequest(host: "a", slots: 2, tasks: [
            try status(job.id, partition: 0, slot: 0, attempt: 1, checkpoint: 41),
            try status(job.id, partition: 1, slot: 1, attempt: 1, checkpoint: 7)]))
        #expect(a.commands?.map(\.key.partition) == [1] && a.commands?.allSatisfy { $0.kind == .cancel } == true, "\(a.commands ?? [])")
        #expect(jm.jobDetail(job.id)?.state == .created)

        // B claims task 0 too (it was adopted on A) and runs task 1's latest attempt.
        let b = jm.register(RegistrationRequest(host: "b", slots: 2, tasks: [
            try status(job.id, partition: 0, slot: 0, attempt: 1, checkpoint: 41),
            try status(job.id, partition: 1, slot: 0, attempt: 2, checkpoint: 40)]))
        #expect(b.commands?.map(\.key.partition) == [0], "\(b.commands ?? [])")
        let detail = try #require(jm.jobDetail(job.id))
        #expect(detail.state == .running)
        #expect(detail.tasks.map(\.taskmanager) == [a.taskManagerId, b.taskManagerId])
        #expect(detail.tasks.map(\.attempt) == [1, 2])

        // Checkpoint ids go on above every id the tasks reported.
        jm.startTicking(everyMs: 10)
        defer { jm.stop() }
        var triggered: Int64?
        let deadline = Date().addingTimeInterval(30)
        while triggered == nil, Date() < deadline {
            let commands = jm.heartbeat(from: a.taskManagerId, HeartbeatRequest(tasks: [
                try status(job.id, partition: 0, slot: 0, attempt: 1, checkpoint: 41)]))?.commands ?? []
            triggered = commands.first { $0.kind == .checkpoint }?.checkpointId
            usleep(20_000)
        }
        #expect(triggered == 42)
    }

    @Test func aRecoveredJobWaitsForItsTaskManagersBeforePlacingTasks() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let job = try submit(jobManager())
        let restarted = jobManager()
        try restarted.recover()
        restarted.startTicking(everyMs: 10)
        defer { restarted.stop() }
        // A taskmanager with free slots and nothing to report: it is given none of the job's tasks.
        let tm = restarted.register(RegistrationRequest(host: "first", slots: 2)).taskManagerId
        try await Task.sleep(for: .milliseconds(300))
        #expect(restarted.heartbeat(from: tm, HeartbeatRequest(tasks: []))?.commands.isEmpty == true)
        let detail = try #require(restarted.jobDetail(job.id))
        #expect(detail.state == .created && detail.tasks.allSatisfy { $0.taskmanager == nil })
        #expect(detail.message?.contains("waiting up to 3600.0 s for taskmanagers to register again with its tasks (0 of 2 adopted)") == true,
                "\(detail.message ?? "")")
    }

    /// A running task's report as a taskmanager would send it.
    func status(_ job: String, partition: Int32, slot: Int, attempt: Int, checkpoint: Int64) throws -> TaskStatus {
        let fields: [String: Any] = [
            "key": ["jobId": job, "partition": partition], "slot": slot, "state": "running", "attempt": attempt,
            "nextOffset": 0, "endOffset": 0, "watermark": 0, "recordsIn": 0, "recordsOut": 0, "badRecords": 0,
            "lateRecords": 0, "lastCheckpointId": checkpoint, "lastCheckpointDurationMs": 0, "lastCheckpointBytes": 0,
            "lastCommittedCheckpointId": -1,
        ]
        return try JSONDecoder().decode(TaskStatus.self, from: JSONSerialization.data(withJSONObject: fields))
    }
}
