import Cluster
import Hummingbird

/// `POST /jobs/{id}/stop`, optional body `{"drain": true, "targetDirectory": DIR}`: a final
/// savepoint, then the job ends FINISHED; with `drain`, every task first advances its watermark
/// to plus infinity and fires every window. Answers as `POST /jobs/{id}/savepoints`.
struct JobStopHandler {
    struct Body: Decodable {
        var drain: Bool?
        var targetDirectory: String?
    }

    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await JSONResponse.decodeIfPresent(Body.self, from: request)
        do {
            let operation = try jobManager.requestSavepoint(id, kind: .stop, drain: body?.drain ?? false, targetDirectory: body?.targetDirectory)
            return try JSONResponse.make(["requestId": operation.requestId], status: .accepted)
        } catch let error as SavepointRequestError {
            throw SavepointTriggerHandler.refusal(error)
        }
    }
}
