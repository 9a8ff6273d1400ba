import Hummingbird

/// `GET /healthz`: the process serves requests.
struct HealthHandler {
    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(["status": "ok"])
    }
}
