import Jobs
import StreamCore
import Testing

/// `dedup` steps: what loads, and every error with its place in the file.
@Suite struct DedupDefinitionTests {
    static func withSteps(_ steps: String) -> String { PipelineDefinitionTests.withSteps(steps) }

    @Test("a dedup step loads with its key expression and within, before the window")
    func loads() throws {
        let yaml = Self.withSteps("""
                  - dedup: { key: data.id, within: 10m }
                  - id: once-per-status
                    dedup: { key: "UPPER(data.status)", within: 500ms }
            """)
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.steps == [
            StepSpec(id: "dedup-0", operation: .dedup(DedupSpec(key: "data.id", withinMs: 600_000))),
            StepSpec(id: "once-per-status", operation: .dedup(DedupSpec(key: "UPPER(data.status)", withinMs: 500))),
        ])
        let description = JobDescription.describe(job)
        #expect(description.contains("dedup-0: dedup by data.id within 10m"), "\(description)")
        #expect(description.contains("once-per-status: an entry per key value for 500ms of event time"), "\(description)")
    }

    @Test("a dedup without key or within is rejected at its mapping, both reported at once")
    func missingParts() {
        let noKey = Fixture.error(Self.withSteps("      - dedup: { within: 10m }"))
        #expect(noKey == JobDefinitionError(file: "jobs.yaml", line: 12, column: 16, reason:
            "steps[0].dedup: missing required key \"key\" (the expression whose value is deduplicated)"))
        let noWithin = Fixture.error(Self.withSteps("      - dedup: { key: data.id }"))
        #expect(noWithin == JobDefinitionError(file: "jobs.yaml", line: 12, column: 16, reason:
            "steps[0].dedup: missing required key \"within\" (how long a key value's first record drops its repeats)"))
        #expect(Fixture.errors(Self.withSteps("      - dedup: {}")).map(\.reason) == [
            "steps[0].dedup: missing required key \"key\" (the expression whose value is deduplicated)",
            "steps[0].dedup: missing required key \"within\" (how long a key value's first record drops its repeats)",
        ])
    }

    @Test("within must be a positive duration")
    func badWithin() {
        let zero = Fixture.error(Self.withSteps("      - dedup: { key: data.id, within: 0s }"))
        #expect(zero == JobDefinitionError(file: "jobs.yaml", line: 12, column: 40, reason:
            "steps[0].dedup.within: must be greater than 0, got \"0s\""))
        let text = Fixture.error(Self.withSteps("      - dedup: { key: data.id, within: soon }"))
        #expect(text == JobDefinitionError(file: "jobs.yaml", line: 12, column: 40, reason:
            "steps[0].dedup.within: expected a duration like 500ms, 10s, 5m or 1h, got \"soon\""))
    }

    @Test("a bad key expression is reported at its part of the expression; an unknown dedup option at its key")
    func badKey() {
        let unknown = Fixture.error(Self.withSteps("      - dedup: { key: data.idd, within: 1m }"))
        #expect(unknown == JobDefinitionError(file: "jobs.yaml", line: 12, column: 23, reason:
            "steps[0].dedup.key: unknown field data.idd (did you mean data.id?) (at \"data.idd\")"))
        let syntax = Fixture.error(Self.withSteps("      - dedup: { key: \"data.id ||\", within: 1m }"))
        #expect(syntax?.line == 12)
        #expect(syntax?.reason.hasPrefix("steps[0].dedup.key: ") == true, "\(String(describing: syntax))")
        let option = Fixture.error(Self.withSteps("      - dedup: { key: data.id, within: 1m, keep: last }"))
        #expect(option?.line == 12)
        #expect(option?.reason.hasPrefix("steps[0].dedup: unknown key \"keep\"") == true, "\(String(describing: option))")
    }

    @Test("dedup is a mapping, one thing per step, and before the window")
    func shapes() {
        let scalar = Fixture.error(Self.withSteps("      - dedup: data.id"))
        #expect(scalar?.line == 12)
        #expect(scalar?.reason.hasPrefix("steps[0].dedup: ") == true, "\(String(describing: scalar))")
        let two = Fixture.error(Self.withSteps("      - { filter: \"true\", dedup: { key: data.id, within: 1m } }"))
        #expect(two?.reason == "steps[0]: a step does one thing, got filter and dedup")
        let none = Fixture.error(Self.withSteps("      - { id: x }"))
        #expect(none?.reason == "steps[0]: a step is one of filter, set, dedup, keyBy or window")
    }
}
