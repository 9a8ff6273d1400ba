import Foundation
import Jobs
import StreamCore
import Testing

/// The example jobs under `examples/` load into the jobs they describe, and docs/jobs.md shows
/// each of them exactly as the file holds it.
@Suite struct ExampleJobsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) -> String { root.appendingPathComponent("examples/\(name)").path }

    @Test("payment-health: a tumbling window with a where condition and a rule")
    func paymentHealth() throws {
        let job = try #require(try JobDefinitionLoader.load(path: Self.example("payment-health.yaml")).first)
        #expect(job.source.key == FieldPath(["data", "provider"]))
        #expect(job.source.watermark == WatermarkSpec(outOfOrdernessMs: 2_000, idleTimeoutMs: 60_000))
        #expect(job.window == WindowStep(
            id: "window-0", window: .tumbling(sizeMs: 60_000, allowedLatenessMs: 30_000),
            aggregations: [
                AggregationSpec(name: "paymentCount", kind: .count),
                AggregationSpec(name: "authorizedAmount", kind: .sum, operand: "data.amount",
                                condition: "data.status = 'AUTHORIZED'"),
                AggregationSpec(name: "statusCounts", kind: .countBy, operand: "data.status"),
            ],
            rules: RulesSpec(topic: "bss.payment.alerts", type: "bss.payment.alert", source: "/stream/payment-health",
                             rules: [ThresholdRule(name: "DECLINE_SPIKE", metric: "statusCounts.DECLINED", threshold: 20,
                                                   severity: "HIGH")])))
        #expect(job.delivery == .exactlyOnce)
        #expect(job.checkpointIntervalMs == 10_000)
    }

    @Test("checkout-visits: plain JSON with epoch-millisecond time, a filter, computed fields, a session window, routed sinks")
    func checkoutSessions() throws {
        let job = try #require(try JobDefinitionLoader.load(path: Self.example("checkout-visits.yaml")).first)
        #expect(job.source.format == .json)
        #expect(job.source.timeIsEpochMillis)
        #expect(job.steps == [
            StepSpec(id: "filter-0", operation: .filter("test IS NULL OR NOT test")),
            StepSpec(id: "set-1", operation: .set([
                ComputedField(name: "amountEur", expression: "CASE WHEN currency = 'USD' THEN amount * 0.92 ELSE amount END"),
                ComputedField(name: "size", expression: "CASE WHEN amount >= 100 THEN 'large' ELSE 'small' END"),
            ])),
        ])
        #expect(job.window?.window == .session(gapMs: 1_800_000))
        #expect(job.window?.aggregations.map(\.name) == ["events", "purchases", "spentEur", "sizes"])
        #expect(job.sinks == [
            SinkSpec(topic: "shop.visits", format: .json),
            SinkSpec(topic: "shop.visits.large", format: .json, when: "spentEur >= 500"),
        ])
    }

    @Test("docs/jobs.md shows every example file verbatim", arguments: ["payment-health.yaml", "checkout-visits.yaml"])
    func documented(file: String) throws {
        let docs = try String(contentsOfFile: Self.root.appendingPathComponent("docs/jobs.md").path, encoding: .utf8)
        let example = try String(contentsOfFile: Self.example(file), encoding: .utf8)
        #expect(docs.contains(example), "docs/jobs.md does not hold examples/\(file) as it is")
    }
}
