import Foundation
import Hummingbird
import NIOCore

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

    /// A JSON request body: `415` for a declared content type other than JSON, `413` past
    /// `limit` bytes, `400` saying where the JSON is broken or what is missing.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 16 << 20) async throws -> T {
        if let declared = request.headers[.contentType], !isJSON(declared) {
            throw RestError(.unsupportedMediaType, "this endpoint takes Content-Type: application/json, not \(declared)")
        }
        let body = try await self.body(of: request, limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw RestError(.badRequest, "invalid \(T.self) body: \(describe(error))")
        }
    }

    /// An optional JSON body of an operator's command: nil when empty, read as JSON whatever its
    /// content type (`curl -d` sends a form type, a browser's fetch text), `400` where it is broken.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T? {
        let body = try await self.body(of: request, limit: limit)
        guard body.readableBytes > 0 else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw RestError(.badRequest, "invalid \(T.self) body: \(describe(error))")
        }
    }

    /// The whole body, refusing one declared or found larger than `limit` (`413`).
    static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw RestError(.contentTooLarge, "request body of \(length) bytes is larger than the \(limit) bytes this endpoint takes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw RestError(.contentTooLarge, "request body is larger than the \(limit) bytes this endpoint takes")
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch error {
        case .dataCorrupted(let c):
            let underlying = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "not valid JSON\(path(c)): \(underlying ?? c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing field \(key.stringValue)\(path(c))"
        case .typeMismatch(let type, let c): return "expected \(type)\(path(c))"
        case .valueNotFound(let type, let c): return "expected \(type)\(path(c)), found null"
        @unknown default: return "\(error)"
        }
    }
}
