import Cluster
import Foundation
import TestSupport
import Testing

/// `GET /openapi.json` documents every route the jobmanager registers, and what the jobmanager
/// answers validates against it: through a job's life on two taskmanagers, one of them killed
/// (which the job's exceptions history then shows), and for the error answers.
@Suite struct OpenAPITests {
    /// The README's first job: a filter and a set step before its window.
    static let spendJob = """
        jobs:
          - name: spend-per-minute
            source:
              topic: bss.customer.events
              key: data.customerId
              fields:
                - { path: data.customerId, type: string, required: true }
                - { path: data.eventType,  type: string, required: true }
                - { path: data.amount,     type: number }
              watermark: { outOfOrderness: 5s }
            steps:
              - filter: data.eventType <> 'LOGIN'
              - set: { amountEur: data.amount * 0.92 }
              - id: type-once
                dedup: { key: "data.customerId || ':' || data.eventType", within: 10s }
              - window: { kind: tumbling, size: 1m }
                aggregate:
                  - { name: events, count: "*" }
                  - { name: spentEur, sum: amountEur, where: data.eventType = 'PURCHASE' }
            sinks:
              - { topic: bss.analytics.events, type: bss.analytics.spend.minute, source: /stream/spend-per-minute }
            late: { topic: bss.customer.events.late }
            deadLetter: { topic: bss.deadletter }
            checkpointInterval: 1s
        """

    @Test func documentCoversEveryRouteAndRealResponsesValidate() async throws {
        let run = try await ClusterRun(eventsPerTopic: 20_000)
        defer { run.stop() }
        let rest = run.rest
        let document = try OpenAPIDocument(data: try await rest.get("/openapi.json").body)
        #expect(document.root["openapi"] as? String == "3.0.3")

        // Every registered route, with its method, and nothing documented that is not served.
        let routes = try registeredRoutes()
        #expect(routes.count >= 17, "\(routes)")
        for route in routes {
            let path = OpenAPIDocument.openAPIPath(route.path)
            #expect(document.paths[path]?[route.method.lowercased()] != nil, "\(route.method) \(path) is not in openapi.json")
        }
        let served = Set(routes.map { "\($0.method) \(OpenAPIDocument.openAPIPath($0.path))" })
        for (path, operations) in document.paths {
            for method in operations.keys { #expect(served.contains("\(method.uppercased()) \(path)"), "documented but not served: \(method) \(path)") }
        }

        // The validator finds what it should: a wrong type, a missing field, an undocumented one, a value outside an enum.
        let wrong = try JSONValue.parse(Data(#"{"jobs": [{"id": 1, "state": "SLEEPING", "extra": true}]}"#.utf8))
        let found = document.problems(wrong, ["$ref": "#/components/schemas/JobList"])
        #expect(found.count == 4, "\(found)")

        func validate(_ path: String, as documented: String, method: String = "GET", _ reply: RestClient.Reply? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
            let reply = if let reply { reply } else { try await rest.send(method, path) }
            #expect(document.hasResponse(method, documented, status: reply.status), "\(method) \(path) answered an undocumented \(reply.status)",
                    sourceLocation: sourceLocation)
            guard let schema = document.responseSchema(method, documented, status: reply.status) else { return .null }
            let value = try JSONValue.parse(reply.body)
            let problems = document.problems(value, schema)
            #expect(problems.isEmpty, "\(method) \(path) \(reply.status): \(problems.prefix(10))", sourceLocation: sourceLocation)
            return value
        }

        let jobs = try await rest.post("/jobs", body: try ClusterRun.jobsYAML()).decode(RestViews.Submitted.self).jobs
        let id = jobs[0].id
        try await poll("checkpoints completed") {
            try await rest.fetch("/jobs/\(id)/checkpoints", as: RestViews.Checkpoints.self).completed >= 2
        }
        try await poll("task figures reported") {
            let tasks = try await rest.fetch("/jobs/\(id)", as: RestViews.JobDetail.self).tasks
            return tasks.allSatisfy { $0.busyTimeMsPerSecond != nil && $0.watermark != nil && $0.keysHeld != nil }
        }
        for (path, documented) in [("/healthz", "/healthz"), ("/overview", "/overview"), ("/jobs", "/jobs"), ("/jobs/\(id)", "/jobs/{id}"),
                                   ("/jobs/\(id)/checkpoints", "/jobs/{id}/checkpoints"), ("/jobs/\(id)/plan", "/jobs/{id}/plan"),
                                   ("/jobs/\(id)/exceptions", "/jobs/{id}/exceptions"), ("/taskmanagers", "/taskmanagers")] {
            _ = try await validate(path, as: documented)
        }
        let managers = try await rest.fetch("/taskmanagers", as: RestViews.TaskManagerList.self).taskmanagers
        for tm in managers { _ = try await validate("/taskmanagers/\(tm.id)", as: "/taskmanagers/{id}") }
        let detail = try await rest.fetch("/taskmanagers/\(managers[0].id)", as: RestViews.TaskManagerDetail.self)
        #expect(detail.memoryBytes ?? 0 > 0 && !detail.tasks.isEmpty, "\(detail)")

        // The plan is the job's chain: source, its steps, the window, then sinks, late and dead letters.
        let plan = try await rest.fetch("/jobs/\(id)/plan", as: RestViews.Plan.self)
        #expect(plan.nodes.first?.kind == "source" && plan.nodes.contains { $0.kind == "window" } && plan.nodes.contains { $0.kind == "sink" })
        #expect(plan.definition.contains("customer-analytics") && plan.parallelism == 4)

        // A job with steps: each step's figures, the filter's and the dedup's from the tasks' per-step counts.
        let spend = try await rest.post("/jobs", body: OpenAPITests.spendJob).decode(RestViews.Submitted.self).jobs[0]
        try await poll("the filter and dedup steps counted") {
            let nodes = try await rest.fetch("/jobs/\(spend.id)/plan", as: RestViews.Plan.self).nodes
            return ["filter", "dedup"].allSatisfy { kind in
                guard let node = nodes.first(where: { $0.kind == kind }), let into = node.recordsIn, let out = node.recordsOut else { return false }
                return into > 1000 && out > 0 && out < into
            }
        }
        _ = try await validate("/jobs/\(spend.id)/plan", as: "/jobs/{id}/plan")
        let kinds = try await rest.fetch("/jobs/\(spend.id)/plan", as: RestViews.Plan.self).nodes.map(\.kind)
        #expect(kinds == ["source", "filter", "set", "dedup", "window", "sink", "late", "deadLetter"], "\(kinds)")
        let dedup = try await rest.fetch("/jobs/\(spend.id)/plan", as: RestViews.Plan.self).nodes.first { $0.kind == "dedup" }
        #expect(dedup?.id == "type-once" && dedup?.description == "dedup: data.customerId || ':' || data.eventType within 10s",
                "\(String(describing: dedup))")

        // A savepoint: accepted, then its progress and the job's list of them.
        let trigger = try await rest.post("/jobs/\(id)/savepoints")
        _ = try await validate("/jobs/\(id)/savepoints", as: "/jobs/{id}/savepoints", method: "POST", trigger)
        let request = try ClusterSavepointTests.requestId(trigger)
        _ = try await ClusterSavepointTests.ended(rest, job: id, request: request)
        _ = try await validate("/jobs/\(id)/savepoints/\(request)", as: "/jobs/{id}/savepoints/{requestId}")
        _ = try await validate("/jobs/\(id)/savepoints", as: "/jobs/{id}/savepoints")
        _ = try await validate("/jobs/\(id)/savepoints/nope", as: "/jobs/{id}/savepoints/{requestId}")
        _ = try await validate("/jobs/\(id)/stop", as: "/jobs/{id}/stop", method: "POST",
                               try await rest.post("/jobs/\(id)/stop", body: #"{"drain": "yes"}"#))

        // Errors, as documented.
        _ = try await validate("/jobs/nope", as: "/jobs/{id}")
        _ = try await validate("/taskmanagers/nope", as: "/taskmanagers/{id}")
        _ = try await validate("/jobs", as: "/jobs", method: "POST", try await rest.post("/jobs", body: "jobs: [unclosed"))
        _ = try await validate("/jobs", as: "/jobs", method: "POST", try await rest.post("/jobs", body: try ClusterRun.jobsYAML()))

        // The metrics carry Flink's names with job, task and taskmanager labels.
        let metrics = try await rest.get("/metrics").text
        for name in ["stream_task_numRecordsIn{", "stream_task_busyTimeMsPerSecond{", "stream_task_backPressuredTimeMsPerSecond{",
                     "stream_task_idleTimeMsPerSecond{", "stream_task_currentInputWatermark{", "stream_task_pendingRecords{",
                     "stream_job_lastCheckpointDuration{", "stream_job_lastCheckpointSize{", "stream_job_numberOfCompletedCheckpoints{",
                     "stream_job_numRestarts{", "stream_task_keysHeld{", "stream_task_kafkaUnreachable{", "stream_task_stateRowsSpilled{", "stream_operator_numRecordsInPerSecond{",
                     "stream_taskmanager_memoryBytes{"] {
            #expect(metrics.contains(name), "no \(name) in /metrics")
        }
        #expect(metrics.contains(#"job="customer-analytics",job_id="\#(id)",task="0",taskmanager="tm-"#))

        // kill -9 of a taskmanager: the loss is in the job's exceptions history, and that validates too.
        let victim = run.taskManagers[0]
        victim.kill9()
        try await poll("the loss in the exceptions history") {
            try await rest.fetch("/jobs/\(id)/exceptions", as: RestViews.Exceptions.self).exceptions.contains { $0.message.contains("lost") }
        }
        _ = try await validate("/jobs/\(id)/exceptions", as: "/jobs/{id}/exceptions")
        _ = try await validate("/jobs/\(id)/cancel", as: "/jobs/{id}/cancel", method: "POST", try await rest.post("/jobs/\(id)/cancel"))
    }
}
