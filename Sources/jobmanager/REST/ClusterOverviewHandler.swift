import Cluster
import Hummingbird

/// `GET /overview`: taskmanagers, slots, jobs per state, where Kafka and the checkpoints are.
struct ClusterOverviewHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(jobManager.overview())
    }
}
