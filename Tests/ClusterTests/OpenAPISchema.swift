import Foundation
import TestSupport

/// The jobmanager's OpenAPI 3.0 document, and the subset of its schema language it uses:
/// `$ref`, `type`, `format: int64` (an integer), `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `enum`, `minimum`, `maximum`.
struct OpenAPIDocument {
    let root: [String: Any]

    init(data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw TestFailure("not a JSON object") }
        self.root = root
    }

    var paths: [String: [String: Any]] { (root["paths"] as? [String: [String: Any]]) ?? [:] }

    /// `/jobs/:id` as the router spells it -> `/jobs/{id}`.
    static func openAPIPath(_ routerPath: String) -> String {
        routerPath.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// The schema of the JSON answer of `method path` with `status`.
    func responseSchema(_ method: String, _ path: String, status: Int) -> [String: Any]? {
        let operation = paths[path]?[method.lowercased()] as? [String: Any]
        let responses = operation?["responses"] as? [String: Any]
        let response = responses?[String(status)] as? [String: Any]
        let content = response?["content"] as? [String: Any]
        return (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    func hasResponse(_ method: String, _ path: String, status: Int) -> Bool {
        let operation = paths[path]?[method.lowercased()] as? [String: Any]
        return (operation?["responses"] as? [String: Any])?[String(status)] != nil
    }

    /// Every way `value` does not fit `schema`, each with its JSON path.
    func problems(_ value: JSONValue, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = ((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] else {
                return ["\(path): unresolved \(ref)"]
            }
            return problems(value, target, at: path)
        }
        var found: [String] = []
        if let options = schema["enum"] as? [String] {
            guard case .string(let s) = value, options.contains(s) else { return ["\(path): \(value) is not one of \(options)"] }
        }
        switch (schema["type"] as? String, value) {
        case ("object", .object(let object)):
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): missing \(key)") }
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                if let p = properties[key] {
                    found += problems(v, p, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    found += problems(v, extra, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): undocumented field \(key)")
                }
            }
        case ("array", .array(let array)):
            if let items = schema["items"] as? [String: Any] {
                for (i, v) in array.enumerated() { found += problems(v, items, at: "\(path)[\(i)]") }
            }
        case ("string", .string(let s)):
            if schema["format"] as? String == "date-time", ISO8601DateFormatter().date(from: s) == nil {
                found.append("\(path): \(s) is not a date-time")
            }
        case ("integer", .integer(let n)):
            if let min = schema["minimum"] as? Int, n < min { found.append("\(path): below \(min)") }
            if let max = schema["maximum"] as? Int, n > max { found.append("\(path): above \(max)") }
        case ("number", .integer), ("number", .number), ("boolean", .bool):
            break
        case (nil, _):
            break
        case (let type?, _):
            found.append("\(path): expected \(type), found \(value)")
        }
        return found
    }
}

/// A JSON value as the document's types tell them apart (an integer is not a boolean).
enum JSONValue: Decodable, CustomStringConvertible {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[\(a.count) items]"
        case .object(let o): "{\(o.keys.sorted().joined(separator: ", "))}"
        }
    }
}

/// The routes `RestAPI.swift` registers, as (method, router path): read from its source, which
/// registers each with one `router.get("...")` or `router.post("...")` call.
func registeredRoutes() throws -> [(method: String, path: String)] {
    let source = try String(contentsOfFile: "\(packageRoot)/Sources/jobmanager/REST/RestAPI.swift", encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: #"router\.(get|post|put|delete|patch)\("([^"]+)""#)
    return pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { m in
        (String(source[Range(m.range(at: 1), in: source)!]).uppercased(), String(source[Range(m.range(at: 2), in: source)!]))
    }
}
