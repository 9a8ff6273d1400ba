import Jobs
import StreamCore
import Testing

/// What accepted definitions turn into: defaults for omitted keys, duration units, `off`.
@Suite struct DefinitionValuesTests {
    @Test("a job that omits every optional key gets the documented defaults")
    func defaults() throws {
        let jobs = try JobDefinitionLoader.load(yaml: Fixture.job, file: Fixture.file)
        #expect(jobs == [JobSpec(
            name: "payments",
            source: SourceSpec(
                topic: "in", format: .cloudevents, key: FieldPath(["data", "id"]), time: FieldPath(["time"]),
                fields: [
                    FieldSpec(path: FieldPath(["data", "id"]), type: .string, required: true),
                    FieldSpec(path: FieldPath(["data", "status"]), type: .string, required: false),
                    FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: false),
                ],
                watermark: WatermarkSpec(outOfOrdernessMs: 5_000, idleTimeoutMs: nil)),
            steps: [],
            window: WindowStep(id: "window-0", window: .tumbling(sizeMs: 60_000, allowedLatenessMs: 0),
                               aggregations: [AggregationSpec(name: "total", kind: .sum, operand: "data.amount")]),
            sinks: [SinkSpec(topic: "out", format: .cloudevents, type: "t", source: "/s", when: nil)],
            lateTopic: "late", deadLetterTopic: "dlq", delivery: .exactlyOnce, checkpointIntervalMs: 10_000)])
    }

    @Test("each duration unit scales to milliseconds", arguments: [
        ("250ms", 250), ("7s", 7_000), ("3m", 180_000), ("2h", 7_200_000), ("0s", 0),
    ] as [(String, Int64)])
    func durationUnits(written: String, ms: Int64) throws {
        let yaml = Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: \(written)")
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.source.watermark.outOfOrdernessMs == ms)
    }

    @Test("idleTimeout takes a duration or off, plain or quoted")
    func idleTimeout() throws {
        for (written, expected) in [("30s", Int64(30_000)), ("off", nil), ("\"off\"", nil)] as [(String, Int64?)] {
            let yaml = Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: 5s, idleTimeout: \(written)")
            let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
            #expect(job.source.watermark.idleTimeoutMs == expected)
        }
    }

    @Test("explicit delivery, checkpoint interval, time field and lateness override the defaults")
    func overrides() throws {
        let yaml = Fixture.replacing("size: 1m", with: "size: 1m, allowedLateness: 30s")
            .replacingOccurrences(of: "      key: data.id", with: "      key: data.id\n      time: data.occurredAt")
            + "\n    delivery: at-least-once\n    checkpointInterval: 1m"
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.window?.window == .tumbling(sizeMs: 60_000, allowedLatenessMs: 30_000))
        #expect(job.source.time == FieldPath(["data", "occurredAt"]))
        #expect(job.delivery == .atLeastOnce)
        #expect(job.checkpointIntervalMs == 60_000)
    }

    @Test("the transactional delivery mode is accepted")
    func transactional() throws {
        let job = try #require(try JobDefinitionLoader.load(yaml: Fixture.job + "\n    delivery: transactional",
                                                            file: Fixture.file).first)
        #expect(job.delivery == .transactional)
    }

    @Test("anchors and aliases let jobs share a section")
    func aliases() throws {
        let yaml = Fixture.replacing("deadLetter: { topic: dlq }", with: "deadLetter: &dlq { topic: dlq }")
            + "\n" + Fixture.job.split(separator: "\n").dropFirst().joined(separator: "\n")
                .replacingOccurrences(of: "name: payments", with: "name: payments-2")
                .replacingOccurrences(of: "deadLetter: { topic: dlq }", with: "deadLetter: *dlq")
        let jobs = try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file)
        #expect(jobs.map(\.deadLetterTopic) == ["dlq", "dlq"])
    }
}
