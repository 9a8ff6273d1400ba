import StreamCore

/// `steps`: what happens to each record, in order: `filter`, `set`, `dedup`, `keyBy`, and a last
/// `window` step.
enum StepsSection {
    static let filterKeys = ["id", "filter"]
    static let setKeys = ["id", "set"]
    static let dedupKeys = ["id", "dedup"]
    static let dedupValueKeys = ["key", "within"]
    static let keyByKeys = ["id", "keyBy"]
    static let windowKeys = ["id", "window", "aggregate", "rules", "topN"]

    struct Parsed {
        var steps: [StepSpec] = []
        var window: WindowStep?
        /// A window step is written, even if it has problems (so later sections judge the job as
        /// one with a window, not as stateless).
        var hasWindow = false
        /// The node of the rules' topic, for the "not the source topic" check.
        var rulesTopic: (String, YAMLValue)?
        /// The node of the keyBy step, for the checks of a job that repartitions.
        var keyByNode: YAMLValue?

        var groupingKey: FieldPath? {
            for step in steps.reversed() { if case .keyBy(let key) = step.operation { return key } }
            return nil
        }
    }

    static func parse(_ value: YAMLValue, source: SourceSpec?, nodes: inout ExpressionNodes) throws -> Parsed {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("expected at least one step") }
        var parsed = Parsed()
        var idLines: [String: Int] = [:]
        var computedLines: [String: Int] = [:]
        var keyByLine: Int?
        for (i, item) in items.enumerated() {
            value.diagnostics.attempt {
                guard case .mapping = item.node else {
                    throw item.error("expected a step (filter, set, dedup, keyBy or window), got \(item.shown)")
                }
                let present = item.node.mapping?.map { $0.key.string } ?? []
                let kinds = ["filter", "set", "dedup", "keyBy", "window"].filter { present.contains($0) }
                guard kinds.count == 1, let kind = kinds.first else {
                    throw item.error(kinds.isEmpty ? "a step is one of filter, set, dedup, keyBy or window"
                                                   : "a step does one thing, got \(kinds.joined(separator: " and "))")
                }
                if parsed.hasWindow {
                    throw item.error("the window must be the last step (a step after it would see window results)")
                }
                let keys = switch kind {
                case "filter": filterKeys
                case "set": setKeys
                case "dedup": dedupKeys
                case "keyBy": keyByKeys
                default: windowKeys
                }
                let step = try item.mapping(allowedKeys: keys)
                let id = try parseId(step, default: "\(kind)-\(i)", lines: &idLines)
                switch kind {
                case "filter":
                    let node = try step.required("filter")
                    let expression = try node.expression()
                    nodes.add(.filter(step: parsed.steps.count), node)
                    parsed.steps.append(StepSpec(id: id, operation: .filter(expression)))
                case "set":
                    let fields = try parseSet(step.required("set"), step: parsed.steps.count, source: source,
                                              lines: &computedLines, nodes: &nodes)
                    parsed.steps.append(StepSpec(id: id, operation: .set(fields)))
                case "dedup":
                    let dedup = try parseDedup(step.required("dedup"), step: parsed.steps.count, nodes: &nodes)
                    parsed.steps.append(StepSpec(id: id, operation: .dedup(dedup)))
                case "keyBy":
                    let node = try step.required("keyBy")
                    if let line = keyByLine {
                        throw node.error("a job re-keys once (the keyBy at line \(line)); group by one key from there on")
                    }
                    keyByLine = node.line
                    parsed.keyByNode = node
                    let key: FieldPath
                    // A field an earlier `set` computes (to group by an expression), or a declared one.
                    if let name = node.scalarText, computedLines[name] != nil {
                        key = FieldPath([name])
                        nodes.add(.keyBy(step: parsed.steps.count), node)
                    } else if let source {
                        key = try SourceSection.parseKey(node, fields: DeclaredFields(specs: source.fields, incomplete: false))
                    } else {
                        key = try node.fieldPath()
                    }
                    parsed.steps.append(StepSpec(id: id, operation: .keyBy(key)))
                default:
                    parsed.hasWindow = true
                    let (window, rulesTopic) = try parseWindow(step, id: id, source: source, groupingKey: parsed.groupingKey,
                                                               nodes: &nodes)
                    parsed.window = window
                    parsed.rulesTopic = rulesTopic
                }
            }
        }
        return parsed
    }

    /// A step's id names it in dead letters and metrics; ids are unique within a job.
    private static func parseId(_ step: YAMLMapping, default fallback: String, lines: inout [String: Int]) throws -> String {
        guard let node = step.optional("id") else { return fallback }
        let id = try node.jobName()
        if let line = lines[id] { throw node.error("duplicate step id \"\(id)\" (first at line \(line))") }
        lines[id] = node.line
        return id
    }

    /// `set: { name: expression, ... }`: names are new, so no field changes meaning mid-job.
    private static func parseSet(_ value: YAMLValue, step: Int, source: SourceSpec?, lines: inout [String: Int],
                                 nodes: inout ExpressionNodes) throws -> [ComputedField] {
        guard case let .mapping(mapping) = value.node, !mapping.isEmpty else {
            throw value.error("expected a mapping of computed fields, like { amountEur: data.amount * 0.92 }")
        }
        var fields: [ComputedField] = []
        for (keyNode, valueNode) in mapping {
            value.diagnostics.attempt {
                let key = value.child(keyNode, path: value.path)
                let name = try key.identifier()
                if let line = lines[name] { throw key.error("\"\(name)\" is computed twice (first at line \(line))") }
                if source?.fields.contains(where: { $0.path == FieldPath([name]) }) == true {
                    throw key.error("\"\(name)\" is a declared field; a computed field needs a new name")
                }
                lines[name] = key.line
                let node = value.child(valueNode, path: "\(value.path).\(name)")
                let expression = try node.expression()
                nodes.add(.computed(step: step, field: fields.count), node)
                fields.append(ComputedField(name: name, expression: expression))
            }
        }
        return fields
    }

    /// `dedup: { key: EXPR, within: DURATION }`; both problems are reported when both are wrong.
    private static func parseDedup(_ value: YAMLValue, step: Int, nodes: inout ExpressionNodes) throws -> DedupSpec {
        let d = value.diagnostics
        let dedup = try value.mapping(allowedKeys: dedupValueKeys)
        let key = d.attempt { () throws -> String in
            guard let node = dedup.optional("key") else {
                throw value.error("missing required key \"key\" (the expression whose value is deduplicated)")
            }
            let expression = try node.expression()
            nodes.add(.dedupKey(step: step), node)
            return expression
        }
        let within = d.attempt { () throws -> Int64 in
            guard let node = dedup.optional("within") else {
                throw value.error("missing required key \"within\" (how long a key value's first record drops its repeats)")
            }
            return try node.durationMs(allowZero: false)
        }
        guard let key, let within else { throw Reported() }
        return DedupSpec(key: key, withinMs: within)
    }

    private static func parseWindow(_ step: YAMLMapping, id: String, source: SourceSpec?, groupingKey: FieldPath?,
                                    nodes: inout ExpressionNodes) throws -> (WindowStep, (String, YAMLValue)?) {
        let d = step.value.diagnostics
        let window = d.attempt { try WindowSection.parse(step.required("window")) }
        let keyName = (groupingKey ?? source?.key)?.leaf ?? ""
        var reserved = [keyName: "the key", "windowStart": "the window start",
                        "windowEnd": "the window end", "revision": "the firing's revision"]
        if step.optional("topN") != nil { reserved["rank"] = "the result's rank" }
        let aggregations = d.attempt {
            try AggregationsSection.parse(step.required("aggregate"), reservedNames: reserved, nodes: &nodes)
        }
        let rules = aggregations.flatMap { aggregations in
            step.optional("rules").flatMap { node in d.attempt { try RulesSection.parse(node, aggregations: aggregations, nodes: &nodes) } }
        }
        let topN = aggregations.flatMap { aggregations in
            step.optional("topN").flatMap { node in
                d.attempt {
                    try TopNSection.parse(node, window: window, aggregations: aggregations, hasRules: step.optional("rules") != nil,
                                          nodes: &nodes)
                }
            }
        }
        guard let aggregations else { throw Reported() }
        // A window with problems (reported) still carries its aggregations, so their expressions
        // are checked too; the job itself is refused.
        let checked = window ?? .tumbling(sizeMs: 1)
        return (WindowStep(id: id, window: checked, aggregations: aggregations, rules: rules?.0, topN: topN),
                rules.map { ($0.0.topic, $0.1) })
    }
}

/// Thrown where the problems of a section were already reported: the caller only learns that the
/// section has no value.
struct Reported: Error {}
