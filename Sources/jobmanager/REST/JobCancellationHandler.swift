import Cluster
import Hummingbird

/// `POST /jobs/{id}/cancel`: the job becomes CANCELED and its tasks stop.
struct JobCancellationHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let job = jobManager.cancel(id) else { return try JSONResponse.failure(.notFound, "no job \(id)") }
        return try JSONResponse.make(job)
    }
}
