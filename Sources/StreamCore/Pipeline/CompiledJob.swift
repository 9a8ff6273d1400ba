/// A job's expressions compiled against its record schema: what every task of the job runs, and
/// what the loader checks a definition with before anything runs (the same compiler, so a job
/// that loads is a job that runs).
public final class CompiledJob: @unchecked Sendable {
    /// Where in the job an expression stands, so the loader can point at its line and column.
    public enum Site: Sendable, Equatable {
        case filter(step: Int)
        case computed(step: Int, field: Int)
        case dedupKey(step: Int)
        case aggregationOperand(Int)
        case aggregationCondition(Int)
        case sinkWhen(Int)
        case ruleWhen(Int)
        case topNBy
        /// A `keyBy` on a computed field whose type is not a string or number.
        case keyBy(step: Int)
    }

    public struct Problem: Error, Sendable, Equatable {
        public var site: Site
        public var error: ExpressionError
    }

    public struct Problems: Error, Sendable, Equatable {
        public var problems: [Problem]
    }

    /// A step before the window as it runs.
    public enum Step {
        case filter(CompiledExpression)
        /// Each computed field's slot and expression, evaluated in order.
        case set([(slot: Int, expression: CompiledExpression)])
        /// The key expression and how long an entry lives past its record's event time.
        case dedup(key: CompiledExpression, withinMs: Int64)
        /// Regrouping: nothing to do per record here (the job's stages carry it out).
        case keyBy
    }

    public let spec: JobSpec
    public let schema: RecordSchema
    public let keySlot: Int
    public let steps: [Step]
    /// Per aggregation of the window: the slot of its operand (-1: count of every record) and of its
    /// condition (-1: none).
    public let operandSlots: [Int]
    public let conditionSlots: [Int]
    /// Operands and conditions that are more than a name, evaluated into hidden slots for each
    /// record that reaches the window.
    public let windowInputs: [(slot: Int, expression: CompiledExpression)]
    /// Per sink, its `when`; a window job's are over `ResultFields`, a stateless job's over the record.
    public let sinkConditions: [CompiledExpression?]
    /// Per threshold rule of the window step, its `when` over `ResultFields`.
    public let ruleConditions: [CompiledExpression?]
    /// The value a `topN` window step ranks its results by, over `ResultFields`.
    public let topNBy: CompiledExpression?
    public let resultFields: ResultFields?
    /// The slot of each reader field something reads, -1 for a field only validated (the reader
    /// then does not copy it into the slots).
    public let readerSlots: [Int]

    private init(spec: JobSpec, schema: RecordSchema, keySlot: Int, steps: [Step], operandSlots: [Int],
                 conditionSlots: [Int], windowInputs: [(slot: Int, expression: CompiledExpression)],
                 sinkConditions: [CompiledExpression?], ruleConditions: [CompiledExpression?],
                 topNBy: CompiledExpression?, resultFields: ResultFields?, readerSlots: [Int]) {
        self.spec = spec
        self.schema = schema
        self.keySlot = keySlot
        self.steps = steps
        self.operandSlots = operandSlots
        self.conditionSlots = conditionSlots
        self.windowInputs = windowInputs
        self.sinkConditions = sinkConditions
        self.ruleConditions = ruleConditions
        self.topNBy = topNBy
        self.resultFields = resultFields
        self.readerSlots = readerSlots
    }

    /// Every expression of `spec` compiled, or every problem found (all of them, not the first).
    /// The rest of the definition (names, key, window sizes) is the loader's to check.
    public static func compile(_ spec: JobSpec) -> Result<CompiledJob, Problems> {
        var schema = RecordSchema(source: spec.source)
        var problems: [Problem] = []
        func compile(_ text: String, _ site: Site, expecting: ValueType? = nil) -> CompiledExpression? {
            let known = schema.knownNames
            switch ExpressionCompiler.compile(text, expecting: expecting, knownNames: known, resolve: { schema.resolve($0) }) {
            case .success(let e): return e
            case .failure(let errors):
                problems += errors.errors.map { Problem(site: site, error: $0) }
                return nil
            }
        }
        var steps: [Step] = []
        for (s, step) in spec.steps.enumerated() {
            switch step.operation {
            case .filter(let text):
                if let e = compile(text, .filter(step: s), expecting: .boolean) { steps.append(.filter(e)) }
            case .set(let fields):
                var compiled: [(slot: Int, expression: CompiledExpression)] = []
                for (f, field) in fields.enumerated() {
                    guard let e = compile(field.expression, .computed(step: s, field: f)) else { continue }
                    compiled.append((schema.addComputed(field.name, type: e.type), e))
                }
                steps.append(.set(compiled))
            case .dedup(let dedup):
                if let e = compile(dedup.key, .dedupKey(step: s)) { steps.append(.dedup(key: e, withinMs: dedup.withinMs)) }
            case .keyBy:
                steps.append(.keyBy)
            }
        }

        // After the steps: a `keyBy` may name a field one of them computes.
        let keySlot = spec.groupingKey.flatMap { schema.resolve($0)?.slot } ?? -1
        if keySlot >= 0, let step = spec.steps.lastIndex(where: \.isKeyBy),
           schema.slotTypes[keySlot] != .string && schema.slotTypes[keySlot] != .number, let key = spec.groupingKey {
            problems.append(Problem(site: .keyBy(step: step), error: ExpressionError(
                offset: 0, length: key.description.count,
                message: "the key needs a string or number, but \(key) is computed as \(schema.slotTypes[keySlot])")))
        }

        var operandSlots: [Int] = [], conditionSlots: [Int] = []
        var windowInputs: [(slot: Int, expression: CompiledExpression)] = []
        func slot(of e: CompiledExpression) -> Int {
            if let single = e.singleSlot { return single }
            if let same = windowInputs.first(where: { $0.expression.text == e.text }) { return same.slot }
            let hidden = schema.addHidden(type: e.type)
            windowInputs.append((hidden, e))
            return hidden
        }
        for (i, aggregation) in (spec.window?.aggregations ?? []).enumerated() {
            var operand = -1
            if let text = aggregation.operand,
               let e = compile(text, .aggregationOperand(i), expecting: aggregation.kind.operandType) {
                operand = slot(of: e)
            }
            var condition = -1
            if let text = aggregation.condition, let e = compile(text, .aggregationCondition(i), expecting: .boolean) {
                condition = slot(of: e)
            }
            operandSlots.append(operand)
            conditionSlots.append(condition)
        }

        // A window job without a key is refused by the loader, after its expressions are checked here.
        let resultFields = spec.window.map { ResultFields(keyName: spec.groupingKey?.leaf ?? "", window: $0) }
        var sinkConditions: [CompiledExpression?] = []
        for (i, sink) in spec.sinks.enumerated() {
            guard let text = sink.when else {
                sinkConditions.append(nil)
                continue
            }
            if let fields = resultFields {
                sinkConditions.append(compileResultCondition(text, scope: fields, site: .sinkWhen(i), problems: &problems))
            } else {
                sinkConditions.append(compile(text, .sinkWhen(i), expecting: .boolean))
            }
        }
        var ruleConditions: [CompiledExpression?] = []
        for (i, rule) in (spec.window?.rules?.rules ?? []).enumerated() {
            guard let text = rule.when, let fields = resultFields else {
                ruleConditions.append(nil)
                continue
            }
            ruleConditions.append(compileResultCondition(text, scope: fields, site: .ruleWhen(i), problems: &problems))
        }
        var topNBy: CompiledExpression?
        if let by = spec.window?.topN?.by, let fields = resultFields {
            topNBy = compileResultExpression(by, expecting: .number, scope: fields, site: .topNBy, problems: &problems)
        }
        guard problems.isEmpty else { return .failure(Problems(problems: problems)) }
        var read = Set(operandSlots + conditionSlots + [keySlot])
        for step in steps {
            switch step {
            case .filter(let e): read.formUnion(e.slots)
            case .set(let fields): for f in fields { read.formUnion(f.expression.slots) }
            case .dedup(let key, _): read.formUnion(key.slots)
            case .keyBy: break
            }
        }
        for input in windowInputs { read.formUnion(input.expression.slots) }
        if resultFields == nil { for e in sinkConditions.compactMap({ $0 }) { read.formUnion(e.slots) } }
        let readerSlots = schema.readerSlots.map { read.contains($0) ? $0 : -1 }
        return .success(CompiledJob(spec: spec, schema: schema, keySlot: keySlot, steps: steps,
                                    operandSlots: operandSlots, conditionSlots: conditionSlots,
                                    windowInputs: windowInputs, sinkConditions: sinkConditions,
                                    ruleConditions: ruleConditions, topNBy: topNBy, resultFields: resultFields,
                                    readerSlots: readerSlots))
    }

    private static func compileResultCondition(_ text: String, scope: ResultFields, site: Site,
                                               problems: inout [Problem]) -> CompiledExpression? {
        compileResultExpression(text, expecting: .boolean, scope: scope, site: site, problems: &problems)
    }

    private static func compileResultExpression(_ text: String, expecting type: ValueType, scope: ResultFields, site: Site,
                                                problems: inout [Problem]) -> CompiledExpression? {
        switch ExpressionCompiler.compile(text, expecting: type, knownNames: scope.names, resolve: { scope.binding(of: $0) }) {
        case .success(let e): return e
        case .failure(let errors):
            problems += errors.errors.map { Problem(site: site, error: $0) }
            return nil
        }
    }
}

extension AggregationSpec.Kind {
    /// The type its operand must have; nil: any (`count` counts the records where it is not null).
    public var operandType: ValueType? {
        switch self {
        case .count: nil
        case .sum, .avg, .min, .max: .number
        case .countBy, .countDistinct: .string
        }
    }
}
