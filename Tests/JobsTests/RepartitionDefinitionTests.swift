import Jobs
import StreamCore
import Testing

/// `keyBy` steps and `source.partitionedBy`: when a job repartitions, the two stages it runs as,
/// and every error with its place in the file.
@Suite struct RepartitionDefinitionTests {
    /// The fixture read from a topic partitioned by `data.status`, with `steps` before its window.
    static func partitionedByStatus(_ steps: String) -> String {
        PipelineDefinitionTests.withSteps(steps)
            .replacingOccurrences(of: "      key: data.id\n", with: "      partitionedBy: data.status\n")
    }

    @Test("a keyBy on another field than the source's partitioning splits the job into two stages")
    func twoStages() throws {
        let yaml = Self.partitionedByStatus("""
                  - filter: data.amount > 0
                  - set: { cents: "data.amount * 100" }
                  - dedup: { key: data.id, within: 1m }
                  - { id: by-id, keyBy: data.id }
                  - filter: cents > 5
            """)
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.source.partitionedBy == FieldPath(dotted: "data.status"))
        #expect(job.groupingKey == FieldPath(dotted: "data.id"))
        #expect(job.repartition?.topic == "payments.by-id.repartition")
        #expect(job.topics.contains("payments.by-id.repartition"))
        let stages = job.stages
        try #require(stages.count == 2)
        let (first, second) = (stages[0], stages[1])
        #expect(first.stage == .repartitionWriter(topic: "payments.by-id.repartition", step: "by-id"))
        #expect(first.source.topic == "in" && first.source.key == FieldPath(dotted: "data.id"))
        #expect(first.steps.map(\.id) == ["filter-0", "set-1", "dedup-2"])
        #expect(first.window == nil && first.lateTopic == nil)
        #expect(first.outputStreams.map(\.topic) == ["payments.by-id.repartition", "dlq", "payments.by-id.repartition"])
        #expect(second.stage == .repartitionReader(upstreamTopic: "in"))
        #expect(second.source.topic == "payments.by-id.repartition")
        // The computed field is made again; the filter and the dedup already ran in stage 1.
        #expect(second.steps.map(\.id) == ["set-1", "filter-4"])
        #expect(second.window == job.window && second.sinks == job.sinks && second.lateTopic == "late")
        #expect(first.checkpointName == "payments.stage-1" && second.checkpointName == "payments.stage-2")
        #expect(JobDescription.describe(job).contains("by-id: key by data.id, repartitioned through payments.by-id.repartition"))
    }

    @Test("a keyBy on the field the source is partitioned by regroups without a repartition")
    func keyByWithoutShuffle() throws {
        let yaml = PipelineDefinitionTests.withSteps("      - keyBy: data.id")
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.repartition == nil)
        #expect(job.stages == [job])
        #expect(job.groupingKey == FieldPath(dotted: "data.id"))
        // A source with no key and no partitioning named is taken as partitioned by nothing known.
        let keyless = try #require(try JobDefinitionLoader.load(
            yaml: yaml.replacingOccurrences(of: "      key: data.id\n", with: ""), file: Fixture.file).first)
        #expect(keyless.repartition?.topic == "payments.keyBy-0.repartition")
    }

    @Test("a keyBy may name a field an earlier set computes, a string or number, to group by an expression")
    func computedKey() throws {
        let yaml = Self.partitionedByStatus("""
                  - set: { tier: "UPPER(data.id)" }
                  - keyBy: tier
            """)
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.groupingKey == FieldPath(["tier"]))
        #expect(job.repartition?.topic == "payments.keyBy-1.repartition")
        #expect(job.stages.map { $0.steps.map(\.id) } == [["set-0"], ["set-0"]])
        let boolean = Fixture.errors(Self.partitionedByStatus("""
                  - set: { big: "data.amount > 100" }
                  - keyBy: big
            """))
        #expect(boolean == [JobDefinitionError(file: "jobs.yaml", line: 13, column: 16, reason:
            "steps[1].keyBy: the key needs a string or number, but big is computed as boolean (at \"big\")")])
    }

    @Test("a window grouping by another field than the source's partitioning needs a keyBy")
    func windowNeedsKeyBy() {
        let yaml = Fixture.replacing("      key: data.id\n", with: "      key: data.id\n      partitionedBy: data.status\n")
        #expect(Fixture.error(yaml) == JobDefinitionError(file: "jobs.yaml", line: 6, column: 22, reason:
            "source.partitionedBy: the window groups by data.id, but the source is partitioned by data.status: a task would "
                + "see only part of each key; add a step `- keyBy: data.id` before the window (it repartitions the records by it)"))
    }

    @Test("keyBy and partitionedBy name declared fields; a keyBy is a string or number; a job re-keys once")
    func fieldErrors() {
        let errors = Fixture.errors(Self.partitionedByStatus("""
                  - keyBy: data.idd
                  - keyBy: data.amount
            """))
        #expect(errors.map(\.reason) == [
            "steps[0].keyBy: \"data.idd\" is not declared in fields (declared: data.id, data.status, data.amount)",
            "steps[1].keyBy: a job re-keys once (the keyBy at line 12); group by one key from there on",
        ])
        let boolean = Fixture.errors(Self.partitionedByStatus("      - keyBy: data.flag")
            .replacingOccurrences(of: "        - { path: data.amount, type: number }\n",
                                  with: "        - { path: data.amount, type: number }\n        - { path: data.flag, type: boolean }\n"))
        #expect(boolean.map(\.reason) == ["steps[0].keyBy: the key needs a string or number field, but \"data.flag\" is declared as boolean"])
        let partitioned = Fixture.error(Fixture.replacing("      key: data.id\n", with: "      key: data.id\n      partitionedBy: data.nope\n"))
        #expect(partitioned?.reason == "source.partitionedBy: \"data.nope\" is not declared in fields (declared: data.id, data.status, data.amount)")
    }

    @Test("a job that repartitions takes no idleTimeout, and no other topic may be its repartition topic")
    func repartitionLimits() {
        let idle = Self.partitionedByStatus("      - keyBy: data.id")
            .replacingOccurrences(of: "watermark: { outOfOrderness: 5s }", with: "watermark: { outOfOrderness: 5s, idleTimeout: 1m }")
        #expect(Fixture.error(idle)?.reason.hasPrefix("source.watermark.idleTimeout: idleTimeout is not available in a job that repartitions") == true)
        let clash = Self.partitionedByStatus("      - keyBy: data.id")
            .replacingOccurrences(of: "deadLetter: { topic: dlq }", with: "deadLetter: { topic: payments.keyBy-0.repartition }")
        #expect(Fixture.error(clash) == JobDefinitionError(file: "jobs.yaml", line: 12, column: 16, reason:
            "steps[0].keyBy: payments.keyBy-0.repartition is the job's repartition topic; no other topic of the job may be it"))
    }
}
