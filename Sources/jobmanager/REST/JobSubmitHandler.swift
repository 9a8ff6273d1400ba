import Cluster
import Foundation
import Hummingbird

/// `POST /jobs[?bounded=true]`, body: a job definition in YAML (one or several jobs).
/// 200 with their ids; 400 naming the line and reason of every problem of a bad definition (nothing starts);
/// 409 when a job of that name is still active.
struct JobSubmitHandler {
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4 << 20)
        let bounded = request.uri.queryParameters.get("bounded") == "true"
        let jobs: [RestViews.JobSummary]
        do {
            jobs = try jobManager.submit(yaml: String(buffer: body), bounded: bounded)
        } catch {
            switch error {
            case .definition(let problems):
                let first = problems.first
                return try JSONResponse.make(RestViews.Failure(error: first?.reason ?? "invalid definition", file: first?.file,
                                                               line: first?.line, column: first?.column, errors: problems),
                                             status: .badRequest)
            case .conflict(let why):
                return try JSONResponse.failure(.conflict, why)
            case .topics(let why):
                return try JSONResponse.failure(.badRequest, why)
            }
        }
        return try JSONResponse.make(RestViews.Submitted(jobs: jobs))
    }
}
