import StreamCore

/// `source.fields`: what every record must carry (a record failing it is a dead letter), and the
/// catalog the key, the time and every expression are checked against, so every field the job
/// reads is validated before it is read.
struct DeclaredFields {
    let specs: [FieldSpec]
    /// Some declarations had problems (reported): a name missing from `specs` may be one of them.
    let incomplete: Bool

    static func parse(_ value: YAMLValue) throws -> DeclaredFields {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("expected at least one field") }
        var specs: [FieldSpec] = []
        var lineOf: [FieldPath: Int] = [:]
        var incomplete = false
        for item in items {
            let parsed: Void? = value.diagnostics.attempt {
                let entry = try item.mapping(allowedKeys: ["path", "type", "required"])
                let pathNode = try entry.required("path")
                let path = try pathNode.fieldPath()
                if let line = lineOf[path] {
                    throw pathNode.error("\"\(path)\" is declared twice (first at line \(line))")
                }
                lineOf[path] = pathNode.line
                let type = FieldType(rawValue: try entry.required("type").oneOf(["string", "number", "boolean"]))!
                let required = try entry.optional("required")?.bool() ?? false
                specs.append(FieldSpec(path: path, type: type, required: required))
            }
            if parsed == nil { incomplete = true }
        }
        return DeclaredFields(specs: specs, incomplete: incomplete)
    }

    /// The declaration of the field `reference` names, or an error listing the declared ones.
    func lookup(_ reference: YAMLValue) throws -> FieldSpec {
        let path = try reference.fieldPath()
        guard let spec = specs.first(where: { $0.path == path }) else {
            if incomplete { throw Reported() }
            let declared = specs.map(\.path.description).joined(separator: ", ")
            throw reference.error("\"\(path)\" is not declared in fields (declared: \(declared))")
        }
        return spec
    }
}
