import Foundation
import Jobs
import StreamCore
import Testing

/// The project's `jobs.yaml` must describe exactly the two jobs of docs/bss-jobs.md §3 and §4.
@Suite struct ShippedJobsTests {
    static let jobsFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("jobs.yaml").path

    static let customerAnalytics = JobSpec(
        name: "customer-analytics",
        source: SourceSpec(topic: "bss.customer.events"),
        keyField: FieldPath(["data", "customerId"]),
        timeField: FieldPath(["time"]),
        fields: [
            FieldSpec(path: FieldPath(["data", "customerId"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "eventType"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: false),
            FieldSpec(path: FieldPath(["data", "channel"]), type: .string, required: false),
        ],
        watermark: WatermarkSpec(outOfOrdernessMs: 5_000, idleTimeoutMs: nil),
        window: WindowSpec(kind: .tumbling, sizeMs: 300_000, slideMs: 300_000, allowedLatenessMs: 0),
        aggregations: [
            AggregationSpec(name: "eventCount", kind: .count),
            AggregationSpec(name: "amountCount", kind: .count, field: FieldPath(["data", "amount"])),
            AggregationSpec(name: "totalAmount", kind: .sum, field: FieldPath(["data", "amount"])),
            AggregationSpec(name: "avgAmount", kind: .avg, field: FieldPath(["data", "amount"])),
            AggregationSpec(name: "minAmount", kind: .min, field: FieldPath(["data", "amount"])),
            AggregationSpec(name: "maxAmount", kind: .max, field: FieldPath(["data", "amount"])),
            AggregationSpec(name: "eventTypes", kind: .countBy, field: FieldPath(["data", "eventType"])),
        ],
        output: OutputSpec(topic: "bss.analytics.events", type: "bss.analytics.customer.window",
                           source: "/stream/customer-analytics"),
        rules: nil,
        lateTopic: "bss.customer.events.late",
        deadLetterTopic: "bss.deadletter",
        delivery: .exactlyOnce,
        checkpointIntervalMs: 10_000)

    static let created = FieldEquals(field: FieldPath(["data", "status"]), value: "CREATED")

    static let orderFraud = JobSpec(
        name: "order-fraud",
        source: SourceSpec(topic: "bss.order.events"),
        keyField: FieldPath(["data", "customerId"]),
        timeField: FieldPath(["time"]),
        fields: [
            FieldSpec(path: FieldPath(["data", "orderId"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "customerId"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "status"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: true),
            FieldSpec(path: FieldPath(["data", "currency"]), type: .string, required: false),
            FieldSpec(path: FieldPath(["data", "paymentMethod"]), type: .string, required: false),
        ],
        watermark: WatermarkSpec(outOfOrdernessMs: 5_000, idleTimeoutMs: nil),
        window: WindowSpec(kind: .sliding, sizeMs: 600_000, slideMs: 60_000, allowedLatenessMs: 0),
        aggregations: [
            AggregationSpec(name: "orderCount", kind: .count),
            AggregationSpec(name: "createdCount", kind: .count, filter: created),
            AggregationSpec(name: "createdAmount", kind: .sum, field: FieldPath(["data", "amount"]), filter: created),
            AggregationSpec(name: "statusCounts", kind: .countBy, field: FieldPath(["data", "status"])),
        ],
        output: OutputSpec(topic: "bss.analytics.events", type: "bss.analytics.order.window",
                           source: "/stream/order-fraud"),
        rules: RulesSpec(topic: "bss.fraud.alerts", type: "bss.fraud.alert", source: "/stream/order-fraud", rules: [
            ThresholdRule(name: "VELOCITY", metric: "createdCount", threshold: 5, severity: "MEDIUM"),
            ThresholdRule(name: "HIGH_VALUE", metric: "createdAmount", threshold: 10_000, severity: "HIGH"),
            ThresholdRule(name: "PAYMENT_FAILURES", metric: "statusCounts.PAYMENT_FAILED", threshold: 3,
                          severity: "MEDIUM"),
        ]),
        lateTopic: "bss.order.events.late",
        deadLetterTopic: "bss.deadletter",
        delivery: .exactlyOnce,
        checkpointIntervalMs: 10_000)

    @Test("jobs.yaml loads into exactly the customer-analytics and order-fraud jobs of docs/bss-jobs.md §3/§4")
    func shippedJobs() throws {
        let jobs = try JobDefinitionLoader.load(path: Self.jobsFile)
        #expect(jobs == [Self.customerAnalytics, Self.orderFraud])
    }

    @Test("the shipped jobs write to the analytics, late, dead-letter and alert topics of docs/bss-jobs.md")
    func shippedTopics() throws {
        let jobs = try JobDefinitionLoader.load(path: Self.jobsFile)
        #expect(jobs.map(\.sinkTopics) == [
            ["bss.analytics.events", "bss.customer.events.late", "bss.deadletter"],
            ["bss.analytics.events", "bss.order.events.late", "bss.deadletter", "bss.fraud.alerts"],
        ])
    }
}
