import Hummingbird

/// A request the jobmanager refuses: answered with `status` and `{"error": message}`.
struct RestError: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func noJob(_ id: String) -> RestError { RestError(.notFound, "no job \(id)") }
}
