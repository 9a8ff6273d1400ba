import Cluster
import Hummingbird

/// `GET /jobs/{id}/exceptions`: the job's task failures and taskmanager losses, newest first.
struct JobExceptionsHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let exceptions = jobManager.exceptions(id) else { throw RestError.noJob(id) }
        return try JSONResponse.make(exceptions)
    }
}
