import Cluster
import Foundation
import TestSupport
import Testing

/// A jobmanager killed with kill -9 and started again on the same checkpoint directory and port,
/// while its taskmanagers (real processes) keep running: they register again with the tasks they
/// run, and the new jobmanager adopts those instead of restarting them from their checkpoints.
@Suite(.serialized) struct JobManagerRestartTests {
    @Test func restartedJobManagerAdoptsTheRunningTasksAndOutputStaysExact() async throws {
        let run = try await ClusterRun(eventsPerTopic: FailoverTests.eventsPerTopicPastACheckpoint)
        defer { run.stop() }
        let jobs = try await run.submitBounded()
        try await poll("a checkpoint completed in every job, every task running", every: 20) {
            try await run.details(jobs).allSatisfy { $0.state == .running && $0.lastCompletedCheckpoint != nil && $0.tasks.allSatisfy { $0.state == "RUNNING" } }
        }
        let before = try await run.details(jobs)
        let restartedAt = Date()
        try await run.restartJobManager()
        try await poll("every job RUNNING again with all its tasks placed", every: 20) {
            try await run.details(jobs).allSatisfy { job in
                job.state == .running && job.tasks.allSatisfy { $0.taskmanager != nil && ($0.state == "RUNNING" || $0.state == "FINISHED") }
            }
        }
        print("jobmanager kill -9 and restart → every job RUNNING with its tasks adopted: \(String(format: "%.2f", Date().timeIntervalSince(restartedAt))) s")
        let adopted = try await run.details(jobs)
        for (old, new) in zip(before, adopted) {
            for (a, b) in zip(old.tasks, new.tasks) {
                #expect(b.attempt == a.attempt && b.taskmanager != nil,
                        "\(old.name) task \(a.partition): attempt \(a.attempt ?? -1) before, \(b.attempt ?? -1) after (adopted, not restarted)")
            }
        }
        try await poll("a checkpoint completed again in every job under the new jobmanager") {
            try await zip(before, run.details(jobs)).allSatisfy { old, new in
                new.state == .finished || (new.lastCompletedCheckpoint ?? -1) > (old.lastCompletedCheckpoint ?? -1)
            }
        }
        try await run.waitUntilFinished(jobs)
        #expect(try await run.details(jobs).allSatisfy { $0.restarts == 0 })
        try FailoverTests().expectExact(run)
    }

    /// The taskmanager is frozen while its jobs are cancelled, so it never hears of it; the
    /// jobmanager is then killed and started again. Thawed, the taskmanager registers with the
    /// tasks it still holds, and the new jobmanager, which has the jobs CANCELED, cancels them.
    @Test func taskOfACancelledJobReportedAfterTheRestartIsCancelled() async throws {
        let run = try await ClusterRun(eventsPerTopic: FailoverTests.eventsPerTopic, taskManagers: 1)
        defer { run.stop() }
        let jobs = try await run.submitBounded()
        try await poll("every task running", every: 20) {
            try await run.details(jobs).allSatisfy { $0.state == .running && $0.tasks.allSatisfy { $0.state == "RUNNING" } }
        }
        run.taskManagers[0].signal(SIGSTOP)
        for job in jobs {
            let reply = try await run.rest.post("/jobs/\(job.id)/cancel")
            #expect(reply.status == 200, "\(reply.text)")
        }
        try await run.restartJobManager()
        #expect(try await run.details(jobs).allSatisfy { $0.state == .canceled })
        run.taskManagers[0].signal(SIGCONT)
        try await poll("the taskmanager registered again") { try await run.taskManagerId(named: "tm-0") != nil }
        let cancelled = run.jobManager.logText.components(separatedBy: "\n").filter { $0.contains("reported task cancelled: job CANCELED") }
        #expect(cancelled.count == jobs.count * Int(run.fixture.partitions), "\(run.jobManager.logText.suffix(3000))")
        #expect(try await run.details(jobs).allSatisfy { $0.state == .canceled })
    }
}
