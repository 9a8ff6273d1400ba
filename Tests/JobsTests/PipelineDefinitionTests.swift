import Jobs
import StreamCore
import Testing

/// Steps, expressions and sinks: what loads, and every error with the place in the file of the
/// part of the expression it is about.
@Suite struct PipelineDefinitionTests {
    static let windowStep = "      - window: { kind: tumbling, size: 1m }"

    static func withSteps(_ steps: String) -> String {
        Fixture.replacing(windowStep, with: steps + "\n" + windowStep)
    }

    @Test("filter and set steps load in order, with default ids, before the window")
    func stepsLoad() throws {
        let yaml = Self.withSteps("""
                  - filter: data.status <> 'TEST'
                  - id: cents
                    set: { cents: "CAST(data.amount * 100 AS BIGINT)", loud: UPPER(data.status) }
            """)
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.steps == [
            StepSpec(id: "filter-0", operation: .filter("data.status <> 'TEST'")),
            StepSpec(id: "cents", operation: .set([
                ComputedField(name: "cents", expression: "CAST(data.amount * 100 AS BIGINT)"),
                ComputedField(name: "loud", expression: "UPPER(data.status)"),
            ])),
        ])
        #expect(job.window?.id == "window-2")
    }

    @Test("an unknown field in an aggregation is reported at the field, with the field it likely means")
    func unknownOperand() {
        let error = Fixture.error(Fixture.replacing("sum: data.amount", with: "sum: data.amout"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 14, column: 33, reason:
            "steps[0].aggregate[0].sum: unknown field data.amout (did you mean data.amount?) (at \"data.amout\")"))
    }

    @Test("an aggregation's operand must have the type its kind needs")
    func operandType() {
        let error = Fixture.error(Fixture.replacing("sum: data.amount", with: "sum: data.status"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 14, column: 33, reason:
            "steps[0].aggregate[0].sum: expected a number expression, got string (at \"data.status\")"))
        let countBy = Fixture.error(Fixture.replacing("sum: data.amount", with: "countBy: data.amount"))
        #expect(countBy?.reason == "steps[0].aggregate[0].countBy: expected a string expression, got number (at \"data.amount\")")
        let distinct = Fixture.error(Fixture.replacing("sum: data.amount", with: "countDistinct: data.amount"))
        #expect(distinct?.reason == "steps[0].aggregate[0].countDistinct: expected a string expression, got number (at \"data.amount\")")
    }

    @Test("a where condition must be boolean")
    func whereType() {
        let error = Fixture.error(Fixture.replacing("sum: data.amount }", with: "sum: data.amount, where: data.amount }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 14, column: 53, reason:
            "steps[0].aggregate[0].where: expected a boolean expression, got number (at \"data.amount\")"))
    }

    @Test("every error of every expression is reported at once, each at its part of its expression")
    func severalExpressionErrors() {
        let yaml = Self.withSteps("      - filter: data.amout > 1 AND data.status = 5")
            .replacingOccurrences(of: "sum: data.amount", with: "sum: data.status")
        #expect(Fixture.errors(yaml) == [
            JobDefinitionError(file: "jobs.yaml", line: 12, column: 17, reason:
                "steps[0].filter: unknown field data.amout (did you mean data.amount?) (at \"data.amout\")"),
            JobDefinitionError(file: "jobs.yaml", line: 12, column: 48, reason:
                "steps[0].filter: cannot compare string with number (at \"=\")"),
            JobDefinitionError(file: "jobs.yaml", line: 15, column: 33, reason:
                "steps[1].aggregate[0].sum: expected a number expression, got string (at \"data.status\")"),
        ])
    }

    @Test("positions inside quoted and block expressions point at the offending part")
    func quotedAndBlockPositions() {
        let quoted = Fixture.error(Self.withSteps("      - filter: \"data.amount > 1 OR data.stats = 'x'\""))
        #expect(quoted == JobDefinitionError(file: "jobs.yaml", line: 12, column: 37, reason:
            "steps[0].filter: unknown field data.stats (did you mean data.status?) (at \"data.stats\")"))
        let block = Fixture.error(Self.withSteps("""
                  - filter: |
                      data.amount > 1 OR
                      data.stats = 'x'
            """))
        #expect(block == JobDefinitionError(file: "jobs.yaml", line: 14, column: 11, reason:
            "steps[0].filter: unknown field data.stats (did you mean data.status?) (at \"data.stats\")"))
    }

    @Test("a computed field can be used by later steps and the window, not by earlier ones")
    func computedFieldScope() {
        let yaml = Self.withSteps("""
                  - filter: doubled > 1
                  - set: { doubled: data.amount * 2 }
            """).replacingOccurrences(of: "sum: data.amount", with: "sum: doubled")
        #expect(Fixture.errors(yaml).map(\.reason) == [
            "steps[0].filter: unknown field doubled (at \"doubled\")",
        ])
    }

    @Test("steps are one thing each, the window is last, ids and computed names are unique")
    func stepShapes() {
        let two = Fixture.error(Self.withSteps("      - { filter: \"true\", set: { a: 1 } }"))
        #expect(two == JobDefinitionError(file: "jobs.yaml", line: 12, column: 9,
                                          reason: "steps[0]: a step does one thing, got filter and set"))
        let after = Fixture.error(Fixture.replacing("    sinks:", with: "      - filter: \"true\"\n    sinks:"))
        #expect(after == JobDefinitionError(file: "jobs.yaml", line: 15, column: 9, reason:
            "steps[1]: the window must be the last step (a step after it would see window results)"))
        let names = Fixture.errors(Self.withSteps("      - set: { x: 1 }\n      - set: { x: 2 }"))
        #expect(names.map(\.reason) == ["steps[1].set: \"x\" is computed twice (first at line 12)"])
        let ids = Fixture.errors(Self.withSteps("      - { id: a, filter: \"true\" }\n      - { id: a, filter: \"true\" }"))
        #expect(ids.map(\.reason) == ["steps[1].id: duplicate step id \"a\" (first at line 12)"])
    }

    @Test("a stateless job takes sinks without an envelope and has no late topic")
    func statelessJob() throws {
        let stateless = Fixture.replacing(Self.windowStep + "\n        aggregate:\n          - { name: total, sum: data.amount }",
                                          with: "      - filter: data.amount > 0")
        let errors = Fixture.errors(stateless)
        #expect(errors.map(\.reason) == [
            "sinks[0].type: type is for the CloudEvents envelope of window results; a job without a window writes its records as they are",
            "late: a job without a window has no late records",
        ])
        let fixed = stateless.replacingOccurrences(of: "{ topic: out, type: t, source: /s }", with: "{ topic: out, when: data.status = 'OK' }")
            .replacingOccurrences(of: "    late: { topic: late }\n", with: "")
        let job = try #require(try JobDefinitionLoader.load(yaml: fixed, file: Fixture.file).first)
        #expect(job.window == nil)
        #expect(job.lateTopic == nil)
        #expect(job.sinks == [SinkSpec(topic: "out", format: .cloudevents, when: "data.status = 'OK'")])
    }

    @Test("a stateless job needs no key; a window job without one is refused at its source")
    func keyOnlyForWindows() throws {
        let keyless = Fixture.replacing(Self.windowStep + "\n        aggregate:\n          - { name: total, sum: data.amount }",
                                        with: "      - filter: data.amount > 0")
            .replacingOccurrences(of: "{ topic: out, type: t, source: /s }", with: "{ topic: out }")
            .replacingOccurrences(of: "    late: { topic: late }\n", with: "")
            .replacingOccurrences(of: "      key: data.id\n", with: "")
        let job = try #require(try JobDefinitionLoader.load(yaml: keyless, file: Fixture.file).first)
        #expect(job.source.key == nil)
        #expect(JobDescription.describe(job).contains("(cloudevents), no key, time"))
        let error = Fixture.error(Fixture.replacing("      key: data.id\n", with: ""))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 4, column: 7, reason:
            "source: missing required key \"key\" (a job with a window groups its records by it, or by a keyBy step)"))
    }

    @Test("a window job's sink when reads the result's fields, not the record's")
    func resultWhen() throws {
        let ok = Fixture.replacing("{ topic: out, type: t, source: /s }", with: "{ topic: out, format: json, when: total > 10 AND revision = 0 }")
        #expect(throws: Never.self) { try JobDefinitionLoader.load(yaml: ok, file: Fixture.file) }
        let error = Fixture.error(Fixture.replacing("{ topic: out, type: t, source: /s }", with: "{ topic: out, format: json, when: data.amount > 10 }"))
        #expect(error?.reason.hasPrefix("sinks[0].when: unknown field data.amount") == true, "\(String(describing: error))")
    }
}
