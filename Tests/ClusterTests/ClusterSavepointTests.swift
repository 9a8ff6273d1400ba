import Cluster
import Foundation
import StreamCore
import TestSupport
import Testing

/// Savepoints through the REST API, with a jobmanager and taskmanagers as real processes: a
/// savepoint of a running job leaves it running; a stop takes a final savepoint and ends the job
/// FINISHED (with drain, after firing every window); a changed definition submitted
/// `fromSavepoint` resumes exactly where the old one stopped, and an incompatible one is refused.
@Suite(.serialized) struct ClusterSavepointTests {
    /// The jobs of `yaml` from `order-fraud` on (the last job of jobs.yaml).
    static func orderFraudOnly(_ yaml: String) -> String {
        "jobs:\n  - name: order-fraud" + yaml.components(separatedBy: "\n  - name: order-fraud")[1]
    }

    /// Polls a savepoint request until it ends; returns it.
    static func ended(_ rest: RestClient, job: String, request: String) async throws -> SavepointOperation {
        var operation: SavepointOperation?
        try await poll("savepoint \(request) of job \(job) ended", every: 100) {
            operation = try await rest.fetch("/jobs/\(job)/savepoints/\(request)", as: SavepointOperation.self)
            return operation?.status != .inProgress
        }
        return operation!
    }

    static func requestId(_ reply: RestClient.Reply) throws -> String {
        guard reply.status == 202 else { throw TestFailure("savepoint request: \(reply.status) \(reply.text)") }
        return try reply.decode([String: String].self)["requestId"]!
    }

    @Test func stopThenChangedThresholdFromSavepointSwitchesExactly() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let dir = temporaryDirectory("cluster-savepoint")
        let jobManager = try JobManagerServer(port: freePort(), checkpointDir: "\(dir)/checkpoints",
                                              bootstrapServers: fixture.cluster.bootstrapServers, logDir: dir)
        let taskManager = try TaskManagerProcess(jobManager: jobManager.url, name: "tm-0", logDir: dir)
        defer {
            taskManager.kill9()
            jobManager.kill9()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let rest = RestClient(base: jobManager.url)
        try await poll("taskmanager registered") {
            (try? await rest.fetch("/taskmanagers", as: RestViews.TaskManagerList.self))?.taskmanagers.count == 1
        }
        let old = Self.orderFraudOnly(try UpgradeScenario.definitions())
        let new = Self.orderFraudOnly(try UpgradeScenario.definitions(replacing: UpgradeScenario.thresholdFive, with: UpgradeScenario.thresholdThree))

        try fixture.produce("bss.order.events", UpgradeScenario.beforeSwitch)
        let job = try await rest.post("/jobs", body: old).decode(RestViews.Submitted.self).jobs[0].id
        try await poll("C9's alert and windows out") {
            try !fixture.read("bss.fraud.alerts").isEmpty && fixture.read("bss.analytics.events").count >= 10
        }
        let stop = try await Self.ended(rest, job: job, request: Self.requestId(try await rest.post("/jobs/\(job)/stop")))
        #expect(stop.status == .completed && stop.kind == .stop && !stop.drain, "\(stop) \(jobManager.logText.suffix(3000))")
        let savepoint = try #require(stop.location)
        #expect(savepoint == "\(dir)/checkpoints/savepoints/order-fraud/sp-1")
        #expect(FileManager.default.fileExists(atPath: "\(savepoint)/manifest.json"))
        try await poll("the stopped job FINISHED") {
            try await rest.fetch("/jobs/\(job)", as: RestViews.JobDetail.self).state == .finished
        }
        #expect(try await rest.fetch("/jobs/\(job)", as: RestViews.JobDetail.self).message == "stopped with savepoint \(savepoint)")
        let again = try await rest.post("/jobs/\(job)/savepoints")
        #expect(again.status == 409 && again.text.contains("not RUNNING"), "\(again.text)")
        #expect(try await rest.get("/jobs/\(job)/savepoints/nope").status == 404)

        try fixture.produce("bss.order.events", UpgradeScenario.afterSwitch)
        let query = "/jobs?bounded=true&fromSavepoint=\(savepoint)"
        // A changed window size of a stateful step: refused, naming the step and the change; nothing starts.
        let resized = try await rest.post(query, body: new.replacingOccurrences(of: "window: { kind: sliding, size: 10m, slide: 1m",
                                                                               with: "window: { kind: sliding, size: 20m, slide: 1m"))
        #expect(resized.status == 400 && resized.text.contains("step window-0 cannot restore its state: window size 600000 ms -> 1200000 ms"),
                "\(resized.status) \(resized.text)")
        #expect(try await rest.fetch("/jobs", as: RestViews.JobList.self).jobs.count == 1)
        #expect(try await rest.post("/jobs?fromSavepoint=\(dir)/nothing-here", body: new).text.contains("is not a savepoint"))

        let submitted = try await rest.post(query, body: new)
        let resumed = try submitted.decode(RestViews.Submitted.self).jobs[0].id
        try await poll("the resumed job FINISHED", timeoutSeconds: 120) {
            let state = try await rest.fetch("/jobs/\(resumed)", as: RestViews.JobDetail.self).state
            if state == .failed { throw TestFailure("resumed job failed: \(jobManager.logText.suffix(3000))") }
            return state == .finished
        }
        let expected = try UpgradeScenario.expectedOutput(old: old, new: new)
        #expect(try fixture.values("bss.analytics.events").sorted() == expected.windows)
        #expect(try fixture.values("bss.fraud.alerts").sorted() == expected.alerts)
    }

    @Test func savepointKeepsTheJobRunningAndStopWithDrainFiresEveryWindowExactly() async throws {
        let run = try await ClusterRun(eventsPerTopic: 20_000)
        defer { run.stop() }
        let rest = run.rest
        let jobs = try await rest.post("/jobs", body: try ClusterRun.jobsYAML()).decode(RestViews.Submitted.self).jobs
        try await poll("every task read all its input", timeoutSeconds: 180, every: 250) {
            try await run.details(jobs).allSatisfy { job in
                job.state == .running && job.tasks.allSatisfy { ($0.endOffset ?? 0) > 0 && $0.offset == $0.endOffset }
            }
        }
        let first = jobs[0].id
        let taken = try await Self.ended(rest, job: first, request: Self.requestId(try await rest.post("/jobs/\(first)/savepoints")))
        #expect(taken.status == .completed && taken.kind == .savepoint, "\(taken)")
        let location = try #require(taken.location)
        let manifest = try SavepointManifest.read(location)
        #expect(manifest.tasks.map(\.partition) == [0, 1, 2, 3])
        #expect(manifest.tasks.allSatisfy { $0.checkpointId >= taken.checkpointId! })
        let completedAfterSavepoint = try await rest.fetch("/jobs/\(first)/checkpoints", as: RestViews.Checkpoints.self).completed
        try await poll("checkpoints go on after the savepoint") {
            try await rest.fetch("/jobs/\(first)/checkpoints", as: RestViews.Checkpoints.self).completed > completedAfterSavepoint
        }
        #expect(try await rest.fetch("/jobs/\(first)", as: RestViews.JobDetail.self).state == .running)

        // Windows still open (nothing moves the watermark past them) fire only because of the drain.
        var stops: [(job: String, request: String)] = []
        for job in jobs {
            stops.append((job.id, try Self.requestId(try await rest.post("/jobs/\(job.id)/stop", body: #"{"drain": true}"#))))
        }
        for stop in stops {
            let ended = try await Self.ended(rest, job: stop.job, request: stop.request)
            #expect(ended.status == .completed && ended.drain, "\(ended) \(run.jobManager.logText.suffix(3000))")
        }
        try await run.waitUntilFinished(jobs)
        let list = try await rest.fetch("/jobs/\(first)/savepoints", as: [String: [SavepointOperation]].self)["savepoints"]!
        #expect(list.map(\.kind) == [.savepoint, .stop])
        let check = try run.fixture.checkOutput()
        #expect(check.report.expected.count > 1000)
        #expect(check.isExact, "\(check)")
    }
}
