import Foundation
import Hummingbird
import Logging
import NIOCore

/// Outermost middleware: whatever a handler or the router throws becomes a JSON error answer
/// saying why, with a 4xx status for every fault of the request (unknown path or id, broken JSON,
/// wrong content type, oversized body). Only a fault of the jobmanager itself is a 500, logged.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RestError {
            return try JSONResponse.failure(error.status, error.message)
        } catch is NIOTooManyBytesError {
            return try JSONResponse.failure(.contentTooLarge, "request body too large")
        } catch let error as HTTPError {
            if error.status == .notFound && error.body == nil {
                return try JSONResponse.failure(.notFound, "no such endpoint: \(request.method) \(request.uri.path) (see GET /openapi.json)")
            }
            return try JSONResponse.failure(error.status, error.body ?? error.status.reasonPhrase)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return try JSONResponse.failure(error.status, error.status.reasonPhrase)
        } catch {
            logger.error("request failed", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return try JSONResponse.failure(.internalServerError, "internal error: \(error)")
        }
    }
}
