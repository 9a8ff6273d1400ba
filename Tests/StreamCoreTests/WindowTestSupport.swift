import Foundation
@testable import StreamCore

/// A job of the customer-analytics shape with the window and rules under test.
func windowJob(_ window: WindowSpec, outOfOrdernessMs: Int64 = 5_000, rules: [ThresholdRule] = []) -> JobSpec {
    JobSpec(
        name: "test-job",
        source: SourceSpec(
            topic: "in", key: FieldPath(dotted: "data.customerId"), time: FieldPath(dotted: "time"),
            fields: [
                FieldSpec(path: FieldPath(dotted: "data.customerId"), type: .string, required: true),
                FieldSpec(path: FieldPath(dotted: "data.eventType"), type: .string, required: true),
                FieldSpec(path: FieldPath(dotted: "data.amount"), type: .number, required: false),
            ],
            watermark: WatermarkSpec(outOfOrdernessMs: outOfOrdernessMs)),
        window: WindowStep(window: window, aggregations: [
            AggregationSpec(name: "eventCount", kind: .count),
            AggregationSpec(name: "amountCount", kind: .count, operand: "data.amount"),
            AggregationSpec(name: "totalAmount", kind: .sum, operand: "data.amount"),
            AggregationSpec(name: "avgAmount", kind: .avg, operand: "data.amount"),
            AggregationSpec(name: "minAmount", kind: .min, operand: "data.amount"),
            AggregationSpec(name: "maxAmount", kind: .max, operand: "data.amount"),
            AggregationSpec(name: "eventTypes", kind: .countBy, operand: "data.eventType"),
            AggregationSpec(name: "purchases", kind: .count, condition: "data.eventType = 'PURCHASE'"),
        ], rules: rules.isEmpty ? nil : RulesSpec(topic: "alerts", type: "test.alert", source: "/stream/test", rules: rules)),
        sinks: [SinkSpec(topic: "out", type: "test.window", source: "/stream/test")],
        lateTopic: "late", deadLetterTopic: "dead", delivery: .exactlyOnce, checkpointIntervalMs: 10_000)
}

typealias OperatorHarness = Harness<WindowOperator>
typealias SessionHarness = Harness<SessionWindowOperator>

/// Drives a job's windowed operator through the job's real `Pipeline` (reader, slots, steps) with
/// CloudEvents; collects its output.
final class Harness<Operator: KeyedOperator> {
    struct Emitted {
        let stream: OutputBatch.Stream
        let key: String
        let raw: String
        let json: [String: Any]
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    }

    let pipeline: Pipeline
    let op: Operator
    private var batch = OutputBatch()
    private var counter = 0

    init(_ spec: JobSpec, store: RocksDBStore? = nil, maxRowsInMemory: Int = .max) {
        pipeline = Pipeline(job: try! CompiledJob.compile(spec).get(), partition: 0)
        op = pipeline.keyed as! Operator
        if let store { pipeline.attach(store: store, maxRowsInMemory: maxRowsInMemory) }
    }

    /// Sends one event; returns false when it was a late record.
    @discardableResult
    func send(_ customer: String, at millis: Int64, type: String = "PAGE_VIEW", amount: Double? = nil) -> Bool {
        counter += 1
        let amountField = amount.map { ",\"amount\":\($0)" } ?? ""
        let json = """
            {"specversion":"1.0","id":"e\(counter)","source":"/bss/customers","type":"bss.customer.event",\
            "time":"\(RFC3339.format(millis: millis))","data":{"customerId":"\(customer)","eventType":"\(type)"\(amountField)}}
            """
        let value = Array(json.utf8)
        let key = Array(customer.utf8)
        let outcome = value.withUnsafeBytes { v in
            key.withUnsafeBytes { k in try! pipeline.process(key: k, value: v, offset: Int64(counter), into: &batch) }
        }
        precondition(outcome != .bad, "test record must be good: \(json)")
        return outcome != .late
    }

    func endOfInput() {
        try! pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &batch)
    }

    /// The firings of the output not yet taken (see `OutputBatch.firings`).
    var firings: [(firstRecord: Int, atMs: Int64)] { batch.firings }

    /// Output since the last call.
    func take() -> [Emitted] {
        var out: [Emitted] = []
        for i in 0..<batch.records.count {
            batch.withRecord(i) { stream, key, value in
                let object = (try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any]
                let raw = String(decoding: value, as: UTF8.self)
                out.append(Emitted(stream: stream, key: String(decoding: key, as: UTF8.self), raw: raw, json: object ?? [:]))
            }
        }
        batch.removeAll()
        return out
    }

    func results() -> [Emitted] { take().filter { $0.stream == .result } }
}

let minute: Int64 = 60_000
