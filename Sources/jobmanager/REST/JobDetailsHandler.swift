import Cluster
import Hummingbird

/// `GET /jobs/{id}`: state and every task: partition, taskmanager, slot, offsets, lag,
/// watermark, records in/out per second, last checkpoint.
struct JobDetailsHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let job = jobManager.jobDetail(id) else { return try JSONResponse.failure(.notFound, "no job \(id)") }
        return try JSONResponse.make(job)
    }
}
