import Jobs
import StreamCore
import Testing

/// The worked example of docs/jobs.md must load as documented.
/// Keep `yaml` identical to the example in docs/jobs.md.
@Suite struct PaymentHealthExampleTests {
    static let yaml = """
        jobs:
          - name: payment-health
            source: { topic: bss.payment.events }
            key: data.provider                  # bss.payment.events is partitioned by provider
            fields:
              - { path: data.paymentId, type: string, required: true }
              - { path: data.provider,  type: string, required: true }
              - { path: data.status,    type: string, required: true }
              - { path: data.amount,    type: number, required: true }
              - { path: data.method,    type: string }
            watermark: { outOfOrderness: 2s, idleTimeout: 1m }
            window: { kind: tumbling, size: 1m, allowedLateness: 30s }
            aggregations:
              - { name: paymentCount, kind: count }
              - name: authorizedAmount
                kind: sum
                field: data.amount
                where: { field: data.status, equals: AUTHORIZED }
              - { name: statusCounts, kind: countBy, field: data.status }
            output:
              topic: bss.analytics.events
              type: bss.analytics.payment.window
              source: /stream/payment-health
            rules:
              topic: bss.payment.alerts
              type: bss.payment.alert
              source: /stream/payment-health
              thresholds:
                - { rule: DECLINE_SPIKE, metric: statusCounts.DECLINED, threshold: 20, severity: HIGH }
            late: { topic: bss.payment.events.late }
            deadLetter: { topic: bss.deadletter }
            # delivery and checkpointInterval keep their defaults: exactly-once, 10s
        """

    @Test("the payment-health example of docs/jobs.md loads into the job it describes")
    func loads() throws {
        let jobs = try JobDefinitionLoader.load(yaml: Self.yaml, file: "payment-health.yaml")
        #expect(jobs == [JobSpec(
            name: "payment-health",
            source: SourceSpec(topic: "bss.payment.events"),
            keyField: FieldPath(["data", "provider"]),
            timeField: FieldPath(["time"]),
            fields: [
                FieldSpec(path: FieldPath(["data", "paymentId"]), type: .string, required: true),
                FieldSpec(path: FieldPath(["data", "provider"]), type: .string, required: true),
                FieldSpec(path: FieldPath(["data", "status"]), type: .string, required: true),
                FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: true),
                FieldSpec(path: FieldPath(["data", "method"]), type: .string, required: false),
            ],
            watermark: WatermarkSpec(outOfOrdernessMs: 2_000, idleTimeoutMs: 60_000),
            window: .tumbling(sizeMs: 60_000, allowedLatenessMs: 30_000),
            aggregations: [
                AggregationSpec(name: "paymentCount", kind: .count),
                AggregationSpec(name: "authorizedAmount", kind: .sum, field: FieldPath(["data", "amount"]),
                                filter: FieldEquals(field: FieldPath(["data", "status"]), value: "AUTHORIZED")),
                AggregationSpec(name: "statusCounts", kind: .countBy, field: FieldPath(["data", "status"])),
            ],
            output: OutputSpec(topic: "bss.analytics.events", type: "bss.analytics.payment.window",
                               source: "/stream/payment-health"),
            rules: RulesSpec(topic: "bss.payment.alerts", type: "bss.payment.alert", source: "/stream/payment-health",
                             rules: [ThresholdRule(name: "DECLINE_SPIKE", metric: "statusCounts.DECLINED",
                                                   threshold: 20, severity: "HIGH")]),
            lateTopic: "bss.payment.events.late",
            deadLetterTopic: "bss.deadletter",
            delivery: .exactlyOnce,
            checkpointIntervalMs: 10_000)])
    }
}
