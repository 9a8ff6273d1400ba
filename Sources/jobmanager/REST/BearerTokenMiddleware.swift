import Hummingbird

/// Requests that change something (every POST) need `Authorization: Bearer <token>` when the
/// jobmanager was started with a token; reads stay open, like Flink's REST API.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, request.method == .post else { return try await next(request, context) }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            var response = try JSONResponse.failure(.unauthorized, "this request needs the header Authorization: Bearer <token>")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }
}
