import Cluster
import Hummingbird

/// `POST /jobs/{id}/savepoints`, optional body `{"targetDirectory": DIR}`: takes a savepoint of
/// a running job, which runs on. 202 with the request id to poll at
/// `GET /jobs/{id}/savepoints/{requestId}`; 404 for an unknown job; 409 when the job is not
/// RUNNING or a savepoint of it is already in progress.
struct SavepointTriggerHandler {
    struct Body: Decodable {
        var targetDirectory: String?
    }

    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await JSONResponse.decodeIfPresent(Body.self, from: request)
        do {
            let operation = try jobManager.requestSavepoint(id, kind: .savepoint, targetDirectory: body?.targetDirectory)
            return try JSONResponse.make(["requestId": operation.requestId], status: .accepted)
        } catch let error as SavepointRequestError {
            throw SavepointTriggerHandler.refusal(error)
        }
    }

    /// Why a savepoint or stop was refused, as the answer says it.
    static func refusal(_ error: SavepointRequestError) -> RestError {
        switch error {
        case .unknownJob(let id): RestError.noJob(id)
        case .conflict(let why): RestError(.conflict, why)
        }
    }
}
