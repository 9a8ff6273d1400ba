import Cluster
import Hummingbird

/// `GET /jobs/{id}/plan`: the job's steps as a graph, with records per second, and its definition.
struct JobPlanHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let plan = jobManager.plan(id) else { throw RestError.noJob(id) }
        return try JSONResponse.make(plan)
    }
}
