import Yams

/// A mapping whose keys were checked against the allowed ones.
struct YAMLMapping {
    let value: YAMLValue
    let entries: [String: YAMLValue]

    func optional(_ key: String) -> YAMLValue? { entries[key] }

    func required(_ key: String) throws -> YAMLValue {
        guard let found = entries[key] else { throw value.error("missing required key \"\(key)\"") }
        return found
    }
}

extension YAMLValue {
    /// This node as a mapping whose keys must all be in `allowedKeys` (catches typos). Each unknown
    /// key is reported and skipped, so the rest of the mapping is still checked. `childPrefix` is the
    /// path its values report; it defaults to this node's path.
    func mapping(allowedKeys: [String], childPrefix: String? = nil) throws -> YAMLMapping {
        guard case let .mapping(mapping) = node else { throw error("expected a mapping, got \(shown)") }
        let prefix = childPrefix ?? path
        var entries: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            let key = child(keyNode, path: path)
            guard key.isTagged(.str), let name = key.scalarText else {
                throw key.error("keys must be words, got \(key.shown)")
            }
            guard allowedKeys.contains(name) else {
                let hint = KeySuggestion.closest(to: name, among: allowedKeys).map { " (did you mean \"\($0)\"?)" } ?? ""
                diagnostics.report(key.error("unknown key \"\(name)\"\(hint); allowed keys: \(allowedKeys.joined(separator: ", "))"))
                continue
            }
            entries[name] = child(valueNode, path: prefix.isEmpty ? name : "\(prefix).\(name)")
        }
        return YAMLMapping(value: self, entries: entries)
    }
}

extension YAMLValue {
    /// The value under `key` when this node is a mapping, for pointing a later check's error at
    /// it (the keys were already checked by `mapping(allowedKeys:)`).
    func entry(_ key: String) -> YAMLValue? {
        guard case let .mapping(mapping) = node else { return nil }
        for (k, v) in mapping where k.string == key { return child(v, path: path.isEmpty ? key : "\(path).\(key)") }
        return nil
    }
}
