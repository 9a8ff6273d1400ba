import Foundation
import Hummingbird

/// JSON bodies for every endpoint: ISO 8601 dates, stable key order (diffable with curl).
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func failure(_ status: HTTPResponse.Status, _ error: String) throws -> Response {
        try make(["error": error], status: status)
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 16 << 20)
        return try JSONDecoder().decode(T.self, from: Data(buffer: body))
    }
}
