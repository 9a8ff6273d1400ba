import StreamCore

/// `rules`: threshold alerts raised on window firings (docs/jobs.md, "Rules").
enum RulesSection {
    static func parse(_ value: YAMLValue, aggregations: [AggregationSpec], nodes: inout ExpressionNodes) throws -> (RulesSpec, YAMLValue) {
        let rules = try value.mapping(allowedKeys: ["topic", "type", "source", "thresholds"])
        let topicNode = try rules.required("topic")
        let topic = try topicNode.topic()
        let type = try rules.required("type").string()
        let source = try rules.required("source").string()
        let thresholdsNode = try rules.required("thresholds")
        let items = try thresholdsNode.sequence()
        guard !items.isEmpty else { throw thresholdsNode.error("expected at least one threshold rule") }
        var thresholds: [ThresholdRule] = []
        var lineOf: [String: Int] = [:]
        for item in items {
            value.diagnostics.attempt {
                try parseRule(item, aggregations: aggregations, lineOf: &lineOf, into: &thresholds, nodes: &nodes)
            }
        }
        return (RulesSpec(topic: topic, type: type, source: source, rules: thresholds), topicNode)
    }

    private static func parseRule(_ item: YAMLValue, aggregations: [AggregationSpec], lineOf: inout [String: Int],
                                  into thresholds: inout [ThresholdRule], nodes: inout ExpressionNodes) throws {
        let entry = try item.mapping(allowedKeys: ["rule", "metric", "threshold", "severity", "when"])
        let ruleNode = try entry.required("rule")
        let name = try ruleNode.identifier()
        // The rule name is the last part of an alert's id: two rules of one name would share ids.
        if let line = lineOf[name] {
            throw ruleNode.error("duplicate rule \"\(name)\" (first at line \(line))")
        }
        lineOf[name] = ruleNode.line
        let metric = try parseMetric(entry.required("metric"), aggregations: aggregations)
        let threshold = try entry.required("threshold").number()
        let severity = try entry.required("severity").oneOf(["LOW", "MEDIUM", "HIGH", "CRITICAL"])
        let whenNode = entry.optional("when")
        let when = try whenNode?.expression()
        if let whenNode { nodes.add(.ruleWhen(thresholds.count), whenNode) }
        thresholds.append(ThresholdRule(name: name, metric: metric, threshold: threshold, severity: severity, when: when))
    }

    /// A metric is a count or sum aggregation (never null, so always comparable) or one value of a
    /// countBy, written `countByName.VALUE`.
    private static func parseMetric(_ node: YAMLValue, aggregations: [AggregationSpec]) throws -> String {
        let metric = try node.string()
        let parts = metric.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard let aggregation = aggregations.first(where: { $0.name == name }) else {
            throw node.error("\"\(name)\" is not an aggregation of this job (usable: \(usable(aggregations)))")
        }
        switch (aggregation.kind, parts.count) {
        case (.count, 1), (.sum, 1), (.countDistinct, 1):
            return metric
        case (.countBy, 2) where !parts[1].isEmpty:
            return metric
        case (.countBy, _):
            throw node.error("\"\(name)\" is a countBy: name one of its values, like \(name).VALUE")
        case (_, 1):
            throw node.error("\"\(name)\" is \(aggregation.kind.rawValue), which can be null; a rule compares a count, a sum, a countDistinct or countByName.VALUE")
        default:
            throw node.error("only a countBy aggregation has values to pick with '.'; \"\(name)\" is \(aggregation.kind.rawValue)")
        }
    }

    private static func usable(_ aggregations: [AggregationSpec]) -> String {
        aggregations.compactMap { aggregation in
            switch aggregation.kind {
            case .count, .sum, .countDistinct: aggregation.name
            case .countBy: "\(aggregation.name).VALUE"
            case .avg, .min, .max: nil
            }
        }.joined(separator: ", ")
    }
}
