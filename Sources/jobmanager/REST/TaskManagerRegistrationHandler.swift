import Cluster
import Hummingbird

/// `POST /taskmanagers`: a taskmanager registers its slots and learns where Kafka and the
/// checkpoints are and how long its lease lasts.
struct TaskManagerRegistrationHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let registration = try await JSONResponse.decode(RegistrationRequest.self, from: request)
        return try JSONResponse.make(jobManager.register(registration))
    }
}
