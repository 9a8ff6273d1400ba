import Cluster
import Hummingbird

/// `GET /jobs/{id}/checkpoints`: counts, the one in progress, and recent ones with status, duration and size.
struct CheckpointStatisticsHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let checkpoints = jobManager.checkpoints(id) else { return try JSONResponse.failure(.notFound, "no job \(id)") }
        return try JSONResponse.make(checkpoints)
    }
}
