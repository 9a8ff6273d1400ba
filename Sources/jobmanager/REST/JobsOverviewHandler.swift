import Cluster
import Hummingbird

/// `GET /jobs`: id, name and state of every job.
struct JobsOverviewHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(jobManager.jobList())
    }
}
