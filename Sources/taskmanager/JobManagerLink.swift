import AsyncHTTPClient
import Cluster
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// HTTP/JSON calls to the jobmanager (debuggable with curl), over HTTPS when its address is
/// `https://`: the jobmanager's certificate is verified against `caFile` (else the system's CAs).
struct JobManagerLink: Sendable {
    let base: String
    let token: String?
    let logger: Logger
    private let client: HTTPClient

    init(base: String, token: String?, caFile: String?, logger: Logger) {
        self.base = base
        self.token = token
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    enum Failure: Error {
        /// The jobmanager does not know this taskmanager (declared lost, or it restarted).
        case unknownTaskManager
        case status(UInt, String)
    }

    func register(_ request: RegistrationRequest) async throws -> RegistrationResponse {
        try await post("/taskmanagers", request, timeoutMs: 5_000)
    }

    func heartbeat(_ id: String, _ request: HeartbeatRequest, timeoutMs: Int) async throws -> HeartbeatResponse {
        try await post("/taskmanagers/\(id)/heartbeat", request, timeoutMs: timeoutMs)
    }

    private func post<In: Encodable, Out: Decodable>(_ path: String, _ body: In, timeoutMs: Int) async throws -> Out {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response = try await client.execute(request, timeout: .milliseconds(Int64(timeoutMs)))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        if response.status == .notFound { throw Failure.unknownTaskManager }
        guard response.status == .ok else { throw Failure.status(response.status.code, String(buffer: bytes)) }
        return try JSONDecoder().decode(Out.self, from: Data(buffer: bytes))
    }

    func shutdown() async throws { try await client.shutdown() }
}
