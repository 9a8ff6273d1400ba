import Cluster
import Hummingbird

/// `POST /taskmanagers/{id}/heartbeat`: task progress in, commands out. 404 tells a taskmanager
/// declared lost (or unknown after a jobmanager restart) to drop its tasks and register again.
struct HeartbeatHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let heartbeat = try await JSONResponse.decode(HeartbeatRequest.self, from: request)
        guard let response = jobManager.heartbeat(from: id, heartbeat) else {
            return try JSONResponse.failure(.notFound, "unknown taskmanager \(id): register again")
        }
        return try JSONResponse.make(response)
    }
}
