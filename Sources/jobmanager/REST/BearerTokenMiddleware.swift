import Hummingbird

/// Who may do what, by bearer token. With `token` set, every request that changes something
/// (any method but GET and HEAD) needs `Authorization: Bearer <token>`. With `readToken` set too,
/// reads of the API need one of the two tokens, and the read token alone cannot change anything
/// (403); without it reads stay open, like Flink's REST API. The console's static files and
/// `/healthz` stay open either way: they hold no data, and the console asks for a token.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let readToken: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else { return try await next(request, context) }
        let given = request.headers[.authorization]
        let isAdmin = given == "Bearer \(token)"
        let isReader = readToken.map { given == "Bearer \($0)" } ?? false
        if request.method == .get || request.method == .head {
            guard readToken != nil, !Self.isOpen(request.uri.path), !isAdmin, !isReader else { return try await next(request, context) }
            return try Self.unauthorized("reading this API needs the header Authorization: Bearer <read token or admin token>")
        }
        if isAdmin { return try await next(request, context) }
        if isReader { return try JSONResponse.failure(.forbidden, "the read token may only read; this request needs the admin token") }
        return try Self.unauthorized("this request needs the header Authorization: Bearer <token>")
    }

    private static func isOpen(_ path: String) -> Bool {
        path == "/" || path == "/healthz" || path == "/openapi.json" || path.hasPrefix("/console/")
    }

    private static func unauthorized(_ reason: String) throws -> Response {
        var response = try JSONResponse.failure(.unauthorized, reason)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }
}
