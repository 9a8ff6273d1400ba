import Cluster
import Hummingbird

/// `POST /taskmanagers`: a taskmanager registers its slots and learns where Kafka and the
/// checkpoints are and how long its lease lasts.
struct TaskManagerRegistrationHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let registration = try await JSONResponse.decode(RegistrationRequest.self, from: request)
        guard registration.slots > 0, registration.slots <= 4096 else {
            throw RestError(.badRequest, "slots must be between 1 and 4096, not \(registration.slots)")
        }
        guard !registration.host.isEmpty else { throw RestError(.badRequest, "host must not be empty") }
        return try JSONResponse.make(jobManager.register(registration))
    }
}
