import Cluster
import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics`: Prometheus text format. Gauges are set from the coordinator's figures at
/// scrape time through swift-metrics, so nothing on the data path touches them.
struct MetricsHandler {
    let jobManager: JobManager
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        record()
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    private func record() {
        let overview = jobManager.overview()
        Gauge(label: "stream_taskmanagers").record(overview.taskmanagers)
        Gauge(label: "stream_slots_total").record(overview.slotsTotal)
        Gauge(label: "stream_slots_available").record(overview.slotsAvailable)
        for (state, count) in overview.jobs {
            Gauge(label: "stream_jobs", dimensions: [("state", state)]).record(count)
        }
        for summary in jobManager.jobList().jobs where summary.state == .running {
            let job = [("job", summary.name)]
            if let checkpoints = jobManager.checkpoints(summary.id) {
                Gauge(label: "stream_job_checkpoints_completed", dimensions: job).record(checkpoints.completed)
                Gauge(label: "stream_job_checkpoints_failed", dimensions: job).record(checkpoints.failed)
            }
            for task in jobManager.jobDetail(summary.id)?.tasks ?? [] {
                let dims = job + [("partition", String(task.partition))]
                Gauge(label: "stream_task_records_in", dimensions: dims).record(task.recordsIn ?? 0)
                Gauge(label: "stream_task_records_out", dimensions: dims).record(task.recordsOut ?? 0)
                Gauge(label: "stream_task_lag", dimensions: dims).record(task.lag ?? 0)
            }
        }
    }
}
