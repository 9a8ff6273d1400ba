import Cluster
import Foundation
import Hummingbird

/// `POST /jobs[?bounded=true][&fromSavepoint=DIR[&allowNonRestoredState=true]]`, body: a job
/// definition in YAML (one or several jobs; the one named as the savepoint's job resumes from it).
/// 200 with their ids; 400 naming the line and reason of every problem of a bad definition (nothing starts);
/// 409 when a job of that name is still active; 413 past 4 MiB. Any content type (curl's
/// `--data-binary` sends a form type): the body is read as YAML.
struct JobSubmitHandler {
    static let maxDefinitionBytes = 4 << 20
    let jobManager: JobManager

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await JSONResponse.body(of: request, limit: JobSubmitHandler.maxDefinitionBytes)
        let bounded: Bool
        switch request.uri.queryParameters.get("bounded") {
        case nil, "false": bounded = false
        case "true": bounded = true
        case let other?: throw RestError(.badRequest, "bounded must be true or false, not \(other)")
        }
        var restore: SavepointRestore?
        if let path = request.uri.queryParameters.get("fromSavepoint") {
            guard !path.isEmpty else { throw RestError(.badRequest, "fromSavepoint names a savepoint directory") }
            switch request.uri.queryParameters.get("allowNonRestoredState") {
            case nil, "false": restore = SavepointRestore(path: path, allowNonRestoredState: false)
            case "true": restore = SavepointRestore(path: path, allowNonRestoredState: true)
            case let other?: throw RestError(.badRequest, "allowNonRestoredState must be true or false, not \(other)")
            }
        } else if request.uri.queryParameters.get("allowNonRestoredState") != nil {
            throw RestError(.badRequest, "allowNonRestoredState goes with fromSavepoint")
        }
        guard let yaml = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw RestError(.badRequest, "the job definition is not UTF-8 text")
        }
        let jobs: [RestViews.JobSummary]
        do {
            jobs = try jobManager.submit(yaml: yaml, bounded: bounded, fromSavepoint: restore)
        } catch {
            switch error {
            case .definition(let problems):
                let first = problems.first
                return try JSONResponse.make(RestViews.Failure(error: first?.reason ?? "invalid definition", file: first?.file,
                                                               line: first?.line, column: first?.column, errors: problems),
                                             status: .badRequest)
            case .conflict(let why):
                return try JSONResponse.failure(.conflict, why)
            case .topics(let why), .savepoint(let why):
                return try JSONResponse.failure(.badRequest, why)
            }
        }
        return try JSONResponse.make(RestViews.Submitted(jobs: jobs))
    }
}
