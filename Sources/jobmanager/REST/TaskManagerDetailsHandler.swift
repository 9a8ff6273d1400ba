import Cluster
import Hummingbird

/// `GET /taskmanagers/{id}`: one taskmanager's slots, memory, last heartbeat and tasks.
struct TaskManagerDetailsHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let detail = jobManager.taskManager(id) else { throw RestError(.notFound, "no taskmanager \(id)") }
        return try JSONResponse.make(detail)
    }
}
