import StreamCore

/// `aggregate`: the values a window step computes per key and window, each a field of its result.
/// An entry names its kind by its key: `{ name: total, sum: data.amount, where: "..." }`.
enum AggregationsSection {
    static let kinds = ["count", "sum", "avg", "min", "max", "countBy", "countDistinct"]

    /// `reservedNames` maps the names every result already has to what they hold.
    static func parse(_ value: YAMLValue, reservedNames: [String: String],
                      nodes: inout ExpressionNodes) throws -> [AggregationSpec] {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("expected at least one aggregation") }
        var aggregations: [AggregationSpec] = []
        var lineOf: [String: Int] = [:]
        for item in items {
            let index = aggregations.count
            let parsed = value.diagnostics.attempt { () throws -> (AggregationSpec, YAMLValue?, YAMLValue?) in
                let entry = try item.mapping(allowedKeys: ["name", "where"] + kinds)
                let nameNode = try entry.required("name")
                let name = try nameNode.identifier()
                if let held = reservedNames[name] {
                    throw nameNode.error("\"\(name)\" is already a field of every result (\(held)); choose another name")
                }
                if let line = lineOf[name] {
                    throw nameNode.error("duplicate aggregation name \"\(name)\" (first at line \(line))")
                }
                lineOf[name] = nameNode.line
                let given = kinds.filter { entry.optional($0) != nil }
                guard given.count == 1, let kindName = given.first, let operandNode = entry.optional(kindName) else {
                    throw item.error(given.isEmpty
                        ? "an aggregation needs one of \(kinds.joined(separator: ", ")) with what it aggregates"
                        : "an aggregation has one kind, got \(given.joined(separator: " and "))")
                }
                let kind = AggregationSpec.Kind(rawValue: kindName)!
                var operand: String? = try operandNode.expression()
                var operandExpression: YAMLValue? = operandNode
                if kind == .count && operand == "*" {
                    operand = nil
                    operandExpression = nil
                } else if operand == "*" {
                    throw operandNode.error("\(kindName) needs an expression; only count takes \"*\" (every record)")
                }
                let whereNode = entry.optional("where")
                let condition = try whereNode?.expression()
                return (AggregationSpec(name: name, kind: kind, operand: operand, condition: condition),
                        operandExpression, whereNode)
            }
            guard let (aggregation, operandNode, whereNode) = parsed else { continue }
            if let operandNode { nodes.add(.aggregationOperand(index), operandNode) }
            if let whereNode { nodes.add(.aggregationCondition(index), whereNode) }
            aggregations.append(aggregation)
        }
        return aggregations
    }
}
