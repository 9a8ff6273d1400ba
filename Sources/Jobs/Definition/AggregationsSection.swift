import StreamCore

/// `aggregations`: the values computed per (key, window), each becoming a field of the output's `data`.
enum AggregationsSection {
    /// `reservedNames` maps the names every output record already has to what they hold.
    static func parse(_ value: YAMLValue, fields: DeclaredFields,
                      reservedNames: [String: String]) throws -> [AggregationSpec] {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("expected at least one aggregation") }
        var aggregations: [AggregationSpec] = []
        var lineOf: [String: Int] = [:]
        for item in items {
            let entry = try item.mapping(allowedKeys: ["name", "kind", "field", "where"])
            let nameNode = try entry.required("name")
            let name = try nameNode.identifier()
            if let held = reservedNames[name] {
                throw nameNode.error("\"\(name)\" is already a field of every output record (\(held)); choose another name")
            }
            if let line = lineOf[name] {
                throw nameNode.error("duplicate aggregation name \"\(name)\" (first at line \(line))")
            }
            lineOf[name] = nameNode.line
            let kind = AggregationSpec.Kind(rawValue: try entry.required("kind").oneOf(kinds))!
            let field = try parseField(entry, kind: kind, fields: fields)
            let filter = try entry.optional("where").map { try parseFilter($0, fields: fields) }
            aggregations.append(AggregationSpec(name: name, kind: kind, field: field, filter: filter))
        }
        return aggregations
    }

    private static let kinds = ["count", "sum", "avg", "min", "max", "countBy"]

    /// `count` may name any declared field (it then counts records having it); the others need one
    /// of the type they compute on.
    private static func parseField(_ entry: YAMLMapping, kind: AggregationSpec.Kind,
                                   fields: DeclaredFields) throws -> FieldPath? {
        let needed: FieldType? = switch kind {
        case .count: nil
        case .sum, .avg, .min, .max: .number
        case .countBy: .string
        }
        guard let fieldNode = entry.optional("field") else {
            guard let needed else { return nil }
            throw entry.value.error("missing required key \"field\" (\(kind.rawValue) needs a \(needed) field)")
        }
        guard let needed else { return try fields.lookup(fieldNode).path }
        return try fields.lookup(fieldNode, ofType: needed, for: kind.rawValue).path
    }

    /// `where: { field: data.status, equals: CREATED }`: only matching records are aggregated.
    private static func parseFilter(_ value: YAMLValue, fields: DeclaredFields) throws -> FieldEquals {
        let filter = try value.mapping(allowedKeys: ["field", "equals"])
        let field = try fields.lookup(filter.required("field"), ofType: .string, for: "where").path
        return FieldEquals(field: field, value: try filter.required("equals").string())
    }
}
