import Cluster
import Hummingbird

/// `GET /taskmanagers`: slots, free slots and last heartbeat of each live taskmanager.
struct TaskManagersHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(jobManager.taskManagers())
    }
}
