import Cluster
import Foundation
import TestSupport
import Testing

/// Every endpoint of the REST API on a jobmanager hosting the embedded cluster itself, through
/// a job's life: waiting for slots, running on one taskmanager, rebalanced onto a second one
/// that joins, cancelled, re-submitted.
@Suite struct RestAPITests {
    @Test func endpointsThroughAJobsLife() async throws {
        let dir = temporaryDirectory("rest")
        let jm = try JobManagerServer(port: freePort(), checkpointDir: "\(dir)/checkpoints", bootstrapServers: nil)
        var taskManagers: [TaskManagerProcess] = []
        defer {
            for p in taskManagers + [jm] where p.process.isRunning { p.kill9() }
            try? FileManager.default.removeItem(atPath: dir)
        }
        let rest = RestClient(base: jm.url)
        try await poll("jobmanager serving") { (try? await rest.get("/healthz"))?.status == 200 }

        // Writes need the token; a bad definition is refused with its line, and nothing starts.
        let yaml = try ClusterRun.jobsYAML()
        #expect(try await rest.post("/jobs", body: yaml, token: nil).status == 401)
        #expect(try await rest.post("/jobs", body: yaml, token: "wrong").status == 401)
        let bad = try await rest.post("/jobs", body: yaml.replacingOccurrences(of: "kind: tumbling", with: "kind: rolling"))
        #expect(bad.status == 400)
        let failure = try bad.decode(RestViews.Failure.self)
        #expect(failure.line == 16 && failure.error.contains("rolling"), "\(failure)")
        #expect(try await rest.fetch("/jobs", as: RestViews.JobList.self).jobs.isEmpty)

        // No taskmanager yet: the jobs wait, and say for what.
        let jobs = try await rest.post("/jobs", body: yaml).decode(RestViews.Submitted.self).jobs
        #expect(jobs.map(\.name) == ["customer-analytics", "order-fraud"])
        try await poll("jobs waiting for slots") {
            try await rest.fetch("/jobs/\(jobs[0].id)", as: RestViews.JobDetail.self).message?.contains("waiting for slots") == true
        }
        #expect(try await rest.fetch("/jobs", as: RestViews.JobList.self).jobs.allSatisfy { $0.state == .created })

        // One taskmanager with 4 slots: each job's 4 tasks, one per slot.
        taskManagers.append(try TaskManagerProcess(jobManager: jm.url, slots: 4, name: "first", logDir: dir))
        try await poll("jobs running") {
            try await rest.fetch("/jobs", as: RestViews.JobList.self).jobs.allSatisfy { $0.state == .running }
        }
        let overview = try await rest.fetch("/overview", as: RestViews.Overview.self)
        #expect(overview.taskmanagers == 1 && overview.slotsTotal == 4 && overview.slotsAvailable == 0)
        #expect(overview.jobs["RUNNING"] == 2 && !overview.bootstrapServers.isEmpty)

        // A second taskmanager joins: tasks move to it at a checkpoint.
        taskManagers.append(try TaskManagerProcess(jobManager: jm.url, slots: 4, name: "second", logDir: dir))
        try await poll("tasks rebalanced onto the second taskmanager") {
            let managers = try await rest.fetch("/taskmanagers", as: RestViews.TaskManagerList.self).taskmanagers
            guard managers.count == 2 else { return false }
            return managers.allSatisfy { $0.tasks == 4 }
        }
        let detail = try await rest.fetch("/jobs/\(jobs[0].id)", as: RestViews.JobDetail.self)
        #expect(detail.tasks.count == 4 && detail.tasks.allSatisfy { $0.taskmanager != nil && $0.slot != nil })
        try await poll("checkpoints completed") {
            try await rest.fetch("/jobs/\(jobs[0].id)/checkpoints", as: RestViews.Checkpoints.self).completed >= 2
        }
        let checkpoints = try await rest.fetch("/jobs/\(jobs[0].id)/checkpoints", as: RestViews.Checkpoints.self)
        #expect(checkpoints.history.contains { $0.status == .completed && $0.sizeBytes > 0 })

        let metrics = try await rest.get("/metrics")
        #expect(metrics.status == 200 && metrics.text.contains("stream_jobs") && metrics.text.contains("stream_task_numRecordsIn"))

        // Cancel, then re-submit the same job: a new id, running again.
        #expect(try await rest.post("/jobs/\(jobs[0].id)/cancel", token: nil).status == 401)
        #expect(try await rest.post("/jobs/\(jobs[0].id)/cancel").decode(RestViews.JobSummary.self).state == .canceled)
        #expect(try await rest.post("/jobs/nope/cancel").status == 404)
        #expect(try await rest.get("/jobs/nope").status == 404)
        let again = try await rest.post("/jobs", body: yaml)
        #expect(again.status == 409, "order-fraud is still running")
        let single = yaml.components(separatedBy: "\n  - name: order-fraud")[0]
        let resubmitted = try await rest.post("/jobs", body: single).decode(RestViews.Submitted.self).jobs
        #expect(resubmitted.count == 1 && resubmitted[0].id != jobs[0].id)
        try await poll("re-submitted job running") {
            try await rest.fetch("/jobs/\(resubmitted[0].id)", as: RestViews.JobDetail.self).state == .running
        }
    }
}
