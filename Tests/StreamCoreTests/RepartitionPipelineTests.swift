import Foundation
import Testing
@testable import StreamCore

/// The two stages of a job that re-keys, one pipeline each: stage 1 forwards records under their
/// new key with its watermark as control records; stage 2 takes its watermark from them, the
/// minimum over the stage-1 tasks, so a slow upstream task holds its windows back.
@Suite struct RepartitionPipelineTests {
    /// Records keyed by customer, re-keyed by event type: 5-minute tumbling counts per type.
    static let stages: [JobSpec] = {
        let job = PipelineTests.job(steps: [StepSpec(id: "by-type", operation: .keyBy(FieldPath(dotted: "data.eventType")))])
        return job.stages
    }()

    static func controls(_ run: PipelineTests.Run) -> [String] {
        (0..<run.output.records.count).compactMap { i in
            run.output.withRecord(i) { stream, key, _ in stream == .watermarkControl ? String(decoding: key, as: UTF8.self) : nil }
        }
    }

    @Test("stage 1 writes each record unchanged under its new key, and its watermark whenever it enters a new second")
    func stageOne() throws {
        #expect(Self.stages.count == 2)
        let run = try PipelineTests.Run(Self.stages[0], partition: 3)
        try run.send("c1", at: 10_500, type: "A")   // W = 5499: the first watermark
        try run.send("c2", at: 10_900, type: "B")   // W = 5899: the same second, nothing
        try run.send("c1", at: 11_200, type: "A")   // W = 6199: a new second
        try run.send("c1", at: 9_000, type: "A")    // out of order: W stays
        try run.finish()
        #expect(run.outcomes == [.passed, .passed, .passed, .passed])
        var forwarded: [(key: String, value: String)] = []
        for i in 0..<run.output.records.count {
            run.output.withRecord(i) { stream, key, value in
                if stream == .result { forwarded.append((String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self))) }
            }
        }
        #expect(forwarded.map(\.key) == ["A", "B", "A", "A"])
        #expect(forwarded[1].value.contains("\"customerId\":\"c2\",\"eventType\":\"B\""))
        #expect(Self.controls(run) == ["3:5499", "3:6199", "3:\(Int64.max)"])
        // Each control record comes right after the record that moved the watermark.
        let streams = (0..<run.output.records.count).map { i in run.output.withRecord(i) { s, _, _ in s } }
        #expect(streams == [.result, .watermarkControl, .result, .result, .watermarkControl, .result, .watermarkControl])
    }

    @Test("in stage 1 a record without the keyBy field is a dead letter naming the keyBy step; a number key is its text")
    func missingKey() throws {
        let job = PipelineTests.job(steps: [StepSpec(id: "by-amount", operation: .keyBy(FieldPath(dotted: "data.amount")))])
        let run = try PipelineTests.Run(job.stages[0])
        try run.send("c1", at: 1_000, amount: 7)
        try run.send("c1", at: 2_000)
        #expect(run.outcomes == [.passed, .bad])
        let keys = (0..<run.output.records.count).compactMap { i in
            run.output.withRecord(i) { stream, key, _ in stream == .result ? String(decoding: key, as: UTF8.self) : nil }
        }
        #expect(keys == ["7"])
        let deadLetter = try #require(run.emitted.first { $0.stream == .deadLetter }?.json)
        #expect(deadLetter["error"] as? String == "step by-amount: the key data.amount is missing")
    }

    @Test("a keyBy on a computed field: stage 1 keys by its value, stage 2 computes it again and groups by it")
    func computedKey() throws {
        let job = PipelineTests.job(steps: [
            StepSpec(id: "loud", operation: .set([ComputedField(name: "loudType", expression: "UPPER(data.eventType)")])),
            StepSpec(id: "by-loud", operation: .keyBy(FieldPath(["loudType"]))),
        ])
        let stages = job.stages
        let first = try PipelineTests.Run(stages[0])
        try first.send("c1", at: 1_000, type: "a")
        let keys = (0..<first.output.records.count).compactMap { i in
            first.output.withRecord(i) { stream, key, _ in stream == .result ? String(decoding: key, as: UTF8.self) : nil }
        }
        #expect(keys == ["A"])
        let second = try PipelineTests.Run(stages[1], upstreamTasks: 1)
        try second.send("c1", at: 1_000, type: "a")
        try second.send("c2", at: 2_000, type: "A")
        try control(second, upstream: 0, at: Int64.max)
        let results = second.emitted.filter { $0.stream == .result }.compactMap { $0.json["data"] as? [String: Any] }
        #expect(results.count == 1)
        #expect(results.first?["loudType"] as? String == "A" && results.first?["eventCount"] as? Int == 2)
    }

    func control(_ run: PipelineTests.Run, upstream: Int, at watermark: Int64) throws {
        try run.send(raw: "", key: "\(upstream):\(watermark)")
    }

    @Test("stage 2 fires when the slowest stage-1 task's watermark passes; records' own times do not move it")
    func slowUpstreamHoldsTheWatermark() throws {
        let run = try PipelineTests.Run(Self.stages[1], upstreamTasks: 2)
        try run.send("c1", at: 60_000, type: "A")
        try control(run, upstream: 0, at: 600_000)
        try run.send("c2", at: 3_600_000, type: "A")       // an hour ahead: fires nothing, is not late
        #expect(run.pipeline.watermark == PartitionWatermark.minusInfinity)
        try control(run, upstream: 1, at: 200_000)
        #expect(run.pipeline.watermark == 200_000)
        #expect(run.values(.result).isEmpty)
        try control(run, upstream: 1, at: 299_999)          // both past the end of [0, 5m): it fires
        #expect(run.pipeline.watermark == 299_999)
        let fired = run.emitted.filter { $0.stream == .result }.compactMap { $0.json["data"] as? [String: Any] }
        #expect(fired.count == 1)
        #expect(fired.first?["eventType"] as? String == "A" && fired.first?["eventCount"] as? Int == 1)
        try run.send("c3", at: 120_000, type: "A")          // now behind the watermark: late
        #expect(run.outcomes == [.passed, .control, .passed, .control, .control, .late])
        #expect(!run.pipeline.upstreamEnded)
        try control(run, upstream: 0, at: Int64.max)
        try control(run, upstream: 1, at: Int64.max)
        #expect(run.pipeline.upstreamEnded)
        #expect(run.emitted.filter { $0.stream == .result }.count == 2)
    }

    @Test("an empty value whose key is no stage-1 task's watermark is a dead letter")
    func malformedControl() throws {
        let run = try PipelineTests.Run(Self.stages[1], upstreamTasks: 2)
        try run.send(raw: "", key: "2:1000")    // no third stage-1 task
        try run.send(raw: "", key: "x")
        #expect(run.outcomes == [.bad, .bad])
        #expect(run.values(.deadLetter).count == 2)
        #expect(run.pipeline.watermark == PartitionWatermark.minusInfinity)
    }

    @Test("the upstream watermarks survive a checkpoint; another upstream task count is refused")
    func upstreamCheckpoint() throws {
        let upstream = UpstreamWatermarks(upstreamTasks: 3)
        _ = upstream.update(task: 0, watermark: 5_000)
        _ = upstream.update(task: 1, watermark: 7_000)
        #expect(upstream.update(task: 2, watermark: 6_000) == 5_000)
        #expect(upstream.update(task: 1, watermark: 6_500) == nil)     // never backwards
        let restored = UpstreamWatermarks(upstreamTasks: 3)
        try restored.restore(upstream.encoded())
        #expect(restored.minimum == 5_000)
        #expect(restored.update(task: 0, watermark: 9_000) == 6_000)
        #expect(throws: CheckpointRestoreError.self) { try UpstreamWatermarks(upstreamTasks: 4).restore(upstream.encoded()) }
    }
}
