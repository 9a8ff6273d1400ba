import Cluster
import Foundation
import Hummingbird
import Prometheus

/// `GET /metrics`: Prometheus text, taken from the coordinator's view at scrape time (the
/// taskmanagers' figures reach it with their heartbeats), so nothing on the data path touches
/// it and a job that ended leaves no stale series. Names are Apache Flink's where Flink has one.
struct MetricsHandler {
    let jobManager: JobManager
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var text = MetricsHandler.exposition(jobManager)
        // Anything else recorded through swift-metrics in this process.
        text += String(decoding: registry.emitToBuffer(), as: UTF8.self)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func exposition(_ jobManager: JobManager) -> String {
        var out = PrometheusText()
        let overview = jobManager.overview()
        out.gauge("stream_taskmanagers", "registered taskmanagers", [([], Double(overview.taskmanagers))])
        out.gauge("stream_slots_total", "slots registered", [([], Double(overview.slotsTotal))])
        out.gauge("stream_slots_available", "slots running no task", [([], Double(overview.slotsAvailable))])
        out.gauge("stream_jobs", "jobs in each state", overview.jobs.sorted { $0.key < $1.key }.map { ([("state", $0.key)], Double($0.value)) })

        let managers = jobManager.taskManagers().taskmanagers
        var memory: [PrometheusText.Sample] = []
        var slots: [PrometheusText.Sample] = []
        var heartbeat: [PrometheusText.Sample] = []
        for tm in managers {
            let labels = [("taskmanager", tm.id), ("host", tm.host)]
            slots.append((labels, Double(tm.slots)))
            heartbeat.append((labels, Double(tm.millisSinceHeartbeat)))
            if let bytes = jobManager.taskManager(tm.id)?.memoryBytes { memory.append((labels, Double(bytes))) }
        }
        out.gauge("stream_taskmanager_slots", "slots of each taskmanager", slots)
        out.gauge("stream_taskmanager_memoryBytes", "resident memory of each taskmanager process", memory)
        out.gauge("stream_taskmanager_millisSinceHeartbeat", "milliseconds since the taskmanager's last heartbeat", heartbeat)

        var job = JobSeries(), task = TaskSeries(), step = StepSeries()
        for summary in jobManager.jobList().jobs where summary.state == .running {
            guard let detail = jobManager.jobDetail(summary.id) else { continue }
            let labels = [("job", summary.name), ("job_id", summary.id)]
            job.restarts.append((labels, Double(detail.restarts)))
            job.uptime.append((labels, Date().timeIntervalSince(detail.submittedAt) * 1000))
            if let c = jobManager.checkpoints(summary.id) {
                job.completed.append((labels, Double(c.completed)))
                job.failed.append((labels, Double(c.failed)))
                if let last = c.history.last(where: { $0.status == .completed }) {
                    job.duration.append((labels, Double(last.durationMs)))
                    job.size.append((labels, Double(last.sizeBytes)))
                }
            }
            for t in detail.tasks {
                let stage = t.stage.map { [("stage", String($0))] } ?? []
                let l = labels + [("task", String(t.partition))] + stage + [("taskmanager", t.taskmanager ?? "")]
                task.add(l, t)
            }
            for node in jobManager.plan(summary.id)?.nodes ?? [] {
                let l = labels + [("step", node.id), ("kind", node.kind)]
                if let v = node.recordsInPerSecond { step.inRate.append((l, v)) }
                if let v = node.recordsOutPerSecond { step.outRate.append((l, v)) }
            }
        }
        out.gauge("stream_job_numRestarts", "task failures the job has restarted from", job.restarts)
        out.gauge("stream_job_uptime", "milliseconds since the job was submitted", job.uptime)
        out.gauge("stream_job_numberOfCompletedCheckpoints", "checkpoints completed", job.completed)
        out.gauge("stream_job_numberOfFailedCheckpoints", "checkpoints failed", job.failed)
        out.gauge("stream_job_lastCheckpointDuration", "milliseconds the last completed checkpoint took", job.duration)
        out.gauge("stream_job_lastCheckpointSize", "bytes of the last completed checkpoint, all tasks", job.size)
        task.write(into: &out)
        out.gauge("stream_operator_numRecordsInPerSecond", "records per second into each step, all tasks", step.inRate)
        out.gauge("stream_operator_numRecordsOutPerSecond", "records per second out of each step, all tasks", step.outRate)
        return out.text
    }

    private struct JobSeries {
        var restarts: [PrometheusText.Sample] = [], uptime: [PrometheusText.Sample] = []
        var completed: [PrometheusText.Sample] = [], failed: [PrometheusText.Sample] = []
        var duration: [PrometheusText.Sample] = [], size: [PrometheusText.Sample] = []
    }

    private struct StepSeries {
        var inRate: [PrometheusText.Sample] = [], outRate: [PrometheusText.Sample] = []
    }

    /// One series per task: name, help, value.
    private struct TaskSeries {
        static let metrics: [(String, String, @Sendable (RestViews.Task) -> Double?)] = [
            ("numRecordsIn", "records read from the source partition", { $0.recordsIn.map(Double.init) }),
            ("numRecordsOut", "records written (results, alerts, late records, dead letters)", { $0.recordsOut.map(Double.init) }),
            ("numRecordsInPerSecond", "records read per second", { $0.recordsInPerSecond }),
            ("numRecordsOutPerSecond", "records written per second", { $0.recordsOutPerSecond }),
            ("busyTimeMsPerSecond", "ms per second the task read and processed records", { $0.busyTimeMsPerSecond }),
            ("idleTimeMsPerSecond", "ms per second the task had nothing to do", { $0.idleTimeMsPerSecond }),
            ("backPressuredTimeMsPerSecond", "ms per second the task waited on its sink (full producer queue, checkpoint flush)",
             { $0.backPressuredTimeMsPerSecond }),
            ("currentInputWatermark", "the task's watermark, epoch milliseconds", { $0.watermark.map(Double.init) }),
            ("watermarkLag", "wall clock minus the watermark, milliseconds", { $0.watermarkLagMs.map(Double.init) }),
            ("pendingRecords", "records of the source partition not yet read (end offset minus next offset)", { $0.lag.map(Double.init) }),
            ("numLateRecordsDropped", "records too late for all their windows (sent to the late topic)", { $0.lateRecords.map(Double.init) }),
            ("numDeadLetterRecords", "bad records and records a step failed on (sent to the dead-letter topic)",
             { $0.badRecords.map(Double.init) }),
            ("lastCheckpointDuration", "milliseconds the task's last checkpoint took", { $0.lastCheckpointDurationMs.map(Double.init) }),
            ("lastCheckpointSize", "bytes of the task's last checkpoint", { $0.lastCheckpointBytes.map(Double.init) }),
            ("stateRowsInMemory", "window state rows held in memory", { $0.stateRowsInMemory.map(Double.init) }),
            ("stateRowsSpilled", "window state rows moved from memory to RocksDB by spilling, total", { $0.stateRowsSpilled.map(Double.init) }),
            ("keysHeld", "keys the task holds window state for", { $0.keysHeld.map(Double.init) }),
            ("kafkaUnreachable", "1 while the running task's clients reach no Kafka broker (kafkaError in GET /jobs/{id} says why), else 0",
             { $0.state == "RUNNING" ? ($0.kafkaError == nil ? 0 : 1) : nil }),
            ("restartInMs", "milliseconds until a failed task starts again, while it waits out its restart backoff", { $0.restartInMs.map(Double.init) }),
        ]
        var samples = [[PrometheusText.Sample]](repeating: [], count: TaskSeries.metrics.count)

        mutating func add(_ labels: [(String, String)], _ t: RestViews.Task) {
            for (i, m) in TaskSeries.metrics.enumerated() { if let v = m.2(t) { samples[i].append((labels, v)) } }
        }

        func write(into out: inout PrometheusText) {
            for (i, m) in TaskSeries.metrics.enumerated() { out.gauge("stream_task_\(m.0)", m.1, samples[i]) }
        }
    }
}

/// Prometheus text exposition format 0.0.4: HELP, TYPE, then one line per series.
struct PrometheusText {
    typealias Sample = (labels: [(String, String)], value: Double)
    private(set) var text = ""

    mutating func gauge(_ name: String, _ help: String, _ samples: [Sample]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for s in samples {
            let labels = s.labels.isEmpty ? "" : "{" + s.labels.map { "\($0.0)=\"\(PrometheusText.escape($0.1))\"" }.joined(separator: ",") + "}"
            text += "\(name)\(labels) \(PrometheusText.format(s.value))\n"
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
