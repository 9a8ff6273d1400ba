import StreamCore

/// `topN` of a window step: which of a firing's results are written (docs/jobs.md, "Top-N").
enum TopNSection {
    static let keys = ["n", "by", "order", "withTies"]
    /// A firing keeps its candidates in memory and inserts into them in order: a bound that keeps
    /// that cheap, far above what a ranking shows.
    static let maxN = 10_000

    static func parse(_ value: YAMLValue, window: WindowSpec?, aggregations: [AggregationSpec], hasRules: Bool,
                      nodes: inout ExpressionNodes) throws -> TopNSpec {
        let d = value.diagnostics
        let topN = try value.mapping(allowedKeys: keys)
        if window?.kind == .session {
            d.report(value.error("a session window has no firing shared by its keys (each key's sessions end on their own); rank tumbling or sliding windows"))
        }
        if let lateness = window?.allowedLatenessMs, lateness > 0 {
            d.report(value.error("needs allowedLateness 0: a late record would change a ranking already written"))
        }
        if hasRules {
            d.report(value.error("a window step has rules or topN, not both: rules would see only the top results"))
        }
        let n = d.attempt { () throws -> Int in
            guard let node = topN.optional("n") else {
                throw value.error("missing required key \"n\" (how many results of each window firing are written)")
            }
            guard node.isTagged(.int), let n = node.node.int, n >= 1, n <= maxN else {
                throw node.error("expected a whole number from 1 to \(maxN), got \(node.shown)")
            }
            return n
        }
        let by = d.attempt { () throws -> String in
            guard let node = topN.optional("by") else {
                throw value.error("missing required key \"by\" (what the results are ranked by: an aggregation, or a number expression over the result)")
            }
            let expression = try node.expression()
            if aggregations.contains(where: { $0.name == expression && $0.kind == .countBy }) {
                throw node.error("\"\(expression)\" is a countBy, an object of counts; rank by a number")
            }
            nodes.add(.topNBy, node)
            return expression
        }
        let order = d.attempt { try topN.optional("order")?.oneOf(["desc", "asc"]) ?? "desc" }
        let withTies = d.attempt { try topN.optional("withTies")?.bool() ?? false }
        guard let by else { throw Reported() }
        // With problems (reported) in the other keys, `by` is still compiled with the job, so its
        // errors come with theirs; the job itself is refused.
        return TopNSpec(n: n ?? 1, by: by, descending: (order ?? "desc") == "desc", withTies: withTies ?? false)
    }
}
