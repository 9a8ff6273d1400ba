import Cluster
import Hummingbird

/// `GET /jobs/{id}/savepoints`: the job's savepoint and stop operations, oldest first;
/// `GET /jobs/{id}/savepoints/{requestId}`: one of them, with its location once COMPLETED or
/// its cause once FAILED.
struct SavepointStatusHandler {
    struct List: Encodable {
        var savepoints: [SavepointOperation]
    }

    let jobManager: JobManager

    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let operations = jobManager.savepoints(id) else { throw RestError.noJob(id) }
        return try JSONResponse.make(List(savepoints: operations))
    }

    func one(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let requestId = try context.parameters.require("requestId")
        guard let operations = jobManager.savepoints(id) else { throw RestError.noJob(id) }
        guard let operation = operations.first(where: { $0.requestId == requestId }) else {
            throw RestError(.notFound, "job \(id) has no savepoint request \(requestId)")
        }
        return try JSONResponse.make(operation)
    }
}
