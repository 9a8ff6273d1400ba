import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import TestSupport

/// The jobmanager's REST API as an operator's curl would call it.
struct RestClient: Sendable {
    let base: String
    private static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    init(base: String) { self.base = base }

    struct Reply {
        let status: Int
        let body: Data
        var contentType: String? = nil
        var text: String { String(decoding: body, as: UTF8.self) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                return try decoder.decode(T.self, from: body)
            } catch {
                throw TestFailure("cannot decode \(T.self) from \(status) \(text): \(error)")
            }
        }
    }

    func get(_ path: String) async throws -> Reply {
        try await send(path, post: false, body: nil, token: nil)
    }

    func post(_ path: String, body: String = "", token: String? = ClusterRun.token) async throws -> Reply {
        try await send(path, post: true, body: body, token: token)
    }

    private func send(_ path: String, post: Bool, body: String?, token: String?) async throws -> Reply {
        try await send(post ? "POST" : "GET", path, body: body.map { Data($0.utf8) }, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    /// Any request, as a misbehaving client might send it.
    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await RestClient.client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer: bytes),
                     contentType: response.headers.first(name: "Content-Type"))
    }

    /// GET that must answer 200, decoded.
    func fetch<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let reply = try await get(path)
        guard reply.status == 200 else { throw TestFailure("GET \(path): \(reply.status) \(reply.text)") }
        return try reply.decode(T.self)
    }
}
