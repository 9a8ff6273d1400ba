import Yams

/// One node of a definition file together with the key path that led to it, so every error can
/// say both where (`line:column`) and what (`window.size`) is wrong.
struct YAMLValue {
    let node: Node
    /// Dotted key path inside the job, e.g. `steps[2].aggregate[0].sum`; empty for the document root.
    let path: String
    let file: String
    /// Where problems that need not stop the section are reported.
    let diagnostics: Diagnostics

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    /// An error at this node, its reason prefixed with the node's path.
    func error(_ message: String) -> JobDefinitionError {
        JobDefinitionError(file: file, line: line, column: column,
                           reason: path.isEmpty ? message : "\(path): \(message)")
    }

    func child(_ node: Node, path childPath: String) -> YAMLValue {
        YAMLValue(node: node, path: childPath, file: file, diagnostics: diagnostics)
    }

    /// How the node reads in an error message: strings quoted, other scalars as written.
    var shown: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar):
            if isTagged(.null) { return scalar.string.isEmpty ? "nothing" : scalar.string }
            if isTagged(.str) { return "\"\(scalar.string)\"" }
            return scalar.string
        }
    }

    /// The scalar's text whatever YAML type it resolved to (durations, enum words).
    var scalarText: String? { node.scalar?.string }

    func isTagged(_ name: Tag.Name) -> Bool { node.tag.description == name.rawValue }

    func string() throws -> String {
        guard let text = scalarText, isTagged(.str) else {
            if let text = scalarText, !isTagged(.null) {
                throw error("expected a string, got \(text) (write \"\(text)\" to mean the text)")
            }
            throw error("expected a string, got \(shown)")
        }
        guard !text.isEmpty else { throw error("expected a non-empty string") }
        return text
    }

    func bool() throws -> Bool {
        guard isTagged(.bool), let value = node.bool else {
            throw error("expected true or false, got \(shown)")
        }
        return value
    }

    func number() throws -> Double {
        guard isTagged(.int) || isTagged(.float), let value = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, got \(shown)")
        }
        guard value.isFinite else { throw error("expected a finite number, got \(shown)") }
        return value
    }

    /// One of a fixed set of words, e.g. a window kind.
    func oneOf(_ options: [String]) throws -> String {
        guard let text = scalarText, !isTagged(.null), options.contains(text) else {
            throw error("expected one of \(options.joined(separator: ", ")), got \(shown)")
        }
        return text
    }

    /// Items of a list; an empty value (`key:`) counts as an empty list.
    func sequence() throws -> [YAMLValue] {
        if isTagged(.null) { return [] }
        guard case let .sequence(items) = node else { throw error("expected a list, got \(shown)") }
        return items.enumerated().map { child($1, path: "\(path)[\($0)]") }
    }
}
