import Cluster
import Foundation
import TestSupport

/// A jobmanager and taskmanagers as real processes, on an embedded Kafka cluster hosted by the
/// test (so it outlives a killed jobmanager) holding generated input.
final class ClusterRun: @unchecked Sendable {
    static let token = "test-token"

    let fixture: ClusterFixture
    let dir: String
    let port = freePort()
    private(set) var jobManager: JobManagerServer
    private(set) var taskManagers: [TaskManagerProcess] = []
    let rest: RestClient
    let checkpointDir: String
    private let jobManagerOptions: [String]

    /// jobs.yaml checkpointing every second, so a run of a few seconds takes several checkpoints.
    static func jobsYAML(delivery: String = "exactly-once") throws -> String {
        try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 1s")
            .replacingOccurrences(of: "delivery: exactly-once", with: "delivery: \(delivery)")
    }

    /// `checkpointDir` (default: one in the run's directory) may be a disk of the test's own;
    /// `jobManagerOptions` are more `serve` options. Logs go to the run's directory.
    init(eventsPerTopic: Int, taskManagers count: Int = 2, checkpointDir: String? = nil, jobManagerOptions: [String] = []) async throws {
        fixture = try ClusterFixture()
        try fixture.produceGenerated(count: eventsPerTopic)
        dir = temporaryDirectory("cluster")
        self.checkpointDir = checkpointDir ?? "\(dir)/checkpoints"
        self.jobManagerOptions = jobManagerOptions
        jobManager = try JobManagerServer(port: port, checkpointDir: self.checkpointDir, bootstrapServers: fixture.cluster.bootstrapServers,
                                          options: jobManagerOptions, logDir: dir)
        rest = RestClient(base: "http://127.0.0.1:\(port)")
        try await waitUntilServing()
        for i in 0..<count { try addTaskManager(name: "tm-\(i)") }
        try await poll("\(count) taskmanagers registered") {
            try await rest.fetch("/taskmanagers", as: RestViews.TaskManagerList.self).taskmanagers.count == count
        }
    }

    func addTaskManager(name: String) throws {
        taskManagers.append(try TaskManagerProcess(jobManager: rest.base, name: name, logDir: dir))
    }

    func waitUntilServing() async throws {
        try await poll("jobmanager serving") { (try? await rest.get("/healthz"))?.status == 200 }
    }

    /// kill -9 of the jobmanager, then a new one on the same port and checkpoint directory.
    func restartJobManager() async throws {
        jobManager.kill9()
        try jobManager.wait()
        jobManager = try JobManagerServer(port: port, checkpointDir: checkpointDir, bootstrapServers: fixture.cluster.bootstrapServers,
                                          options: jobManagerOptions, logDir: dir)
        try await waitUntilServing()
    }

    /// Submits `yaml` (default: jobs.yaml) as bounded jobs.
    func submitBounded(delivery: String = "exactly-once", yaml: String? = nil) async throws -> [RestViews.JobSummary] {
        let reply = try await rest.post("/jobs?bounded=true", body: try yaml ?? ClusterRun.jobsYAML(delivery: delivery))
        guard reply.status == 200 else { throw TestFailure("submit: \(reply.status) \(reply.text)") }
        return try reply.decode(RestViews.Submitted.self).jobs
    }

    /// Submits `yaml` as unbounded jobs.
    func submitUnbounded(yaml: String) async throws -> [RestViews.JobSummary] {
        let reply = try await rest.post("/jobs", body: yaml)
        guard reply.status == 200 else { throw TestFailure("submit: \(reply.status) \(reply.text)") }
        return try reply.decode(RestViews.Submitted.self).jobs
    }

    /// Waits until every task of `jobs` runs on taskmanager `name` and has read all its input,
    /// then stops each job with drain (every window fires, as at a bounded run's end) and waits
    /// until they finished.
    func drainOnceAllInputRead(_ jobs: [RestViews.JobSummary], on name: String) async throws {
        try await poll("every task read all its input on \(name)", timeoutSeconds: 180, every: 250, detail: { await self.state(of: jobs) }) {
            guard let survivor = try await self.taskManagerId(named: name) else { return false }
            return try await self.details(jobs).allSatisfy { job in
                job.state == .running && job.tasks.allSatisfy {
                    $0.state == "RUNNING" && $0.taskmanager == survivor && ($0.endOffset ?? 0) > 0 && $0.offset == $0.endOffset
                }
            }
        }
        for job in jobs {
            let stop = try await rest.post("/jobs/\(job.id)/stop", body: #"{"drain": true}"#)
            guard stop.status == 202 else { throw TestFailure("stop with drain: \(stop.status) \(stop.text)") }
        }
        try await waitUntilFinished(jobs)
    }

    func details(_ jobs: [RestViews.JobSummary]) async throws -> [RestViews.JobDetail] {
        var out: [RestViews.JobDetail] = []
        for job in jobs { out.append(try await rest.fetch("/jobs/\(job.id)", as: RestViews.JobDetail.self)) }
        return out
    }

    func taskManagerId(named name: String) async throws -> String? {
        try await rest.fetch("/taskmanagers", as: RestViews.TaskManagerList.self).taskmanagers.first { $0.host == name }?.id
    }

    /// The current id of the taskmanager process `name` and its tasks that processed records and
    /// are not finished (so a failure there matters). The id is looked up at each call: a
    /// taskmanager that missed heartbeats on a loaded machine registers again under a new one.
    func busyTasks(onTaskManagerNamed name: String, jobs: [RestViews.JobSummary]) async throws
        -> (taskManager: String, tasks: [(job: String, partition: Int32)]) {
        guard let id = try await taskManagerId(named: name) else { return ("", []) }
        let tasks = try await details(jobs).flatMap { job in
            job.tasks.filter { $0.taskmanager == id && $0.state == "RUNNING" && ($0.recordsIn ?? 0) > 0 }.map { (job.id, $0.partition) }
        }
        return (id, tasks)
    }

    /// The taskmanagers, each task of `jobs` (taskmanager, state, records in) and the ends of the
    /// processes' logs: what a wait that timed out needs to be explained.
    func state(of jobs: [RestViews.JobSummary]) async -> String {
        let managers = (try? await rest.get("/taskmanagers"))?.text ?? "(no answer)"
        let tasks = ((try? await details(jobs)) ?? []).map { job in
            "\(job.name) \(job.state.rawValue): " + job.tasks.map { "\($0.partition) \($0.taskmanager ?? "-") \($0.state) \($0.recordsIn ?? 0)" }
                .joined(separator: "; ")
        }
        let logs = [("jobmanager", jobManager.logText)] + taskManagers.enumerated().map { ("taskmanager \($0.offset)", $0.element.logText) }
        return (["taskmanagers: \(managers)"] + tasks + logs.map { "--- \($0.0) log (last 3000 characters):\n\($0.1.suffix(3000))" })
            .joined(separator: "\n")
    }

    func waitUntilFinished(_ jobs: [RestViews.JobSummary]) async throws {
        try await poll("jobs finished", timeoutSeconds: 300, every: 250) {
            let states = try await details(jobs).map(\.state)
            if let failed = states.first(where: { $0 == .failed || $0 == .canceled }) {
                throw TestFailure("a job ended \(failed.rawValue); jobmanager log: \(jobManager.logText.suffix(3000))")
            }
            return states.allSatisfy { $0 == .finished }
        }
    }

    func stop() {
        for tm in taskManagers where tm.process.isRunning { tm.signal(SIGCONT); tm.kill9() }
        if jobManager.process.isRunning { jobManager.kill9() }
        try? FileManager.default.removeItem(atPath: dir)
    }
}
