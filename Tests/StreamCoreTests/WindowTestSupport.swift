import Foundation
@testable import StreamCore

/// A job of the customer-analytics shape with the window and rules under test.
func windowJob(_ window: WindowSpec, outOfOrdernessMs: Int64 = 5_000, rules: [ThresholdRule] = []) -> JobSpec {
    JobSpec(
        name: "test-job", source: SourceSpec(topic: "in"),
        keyField: FieldPath(dotted: "data.customerId"), timeField: FieldPath(dotted: "time"),
        fields: [
            FieldSpec(path: FieldPath(dotted: "data.customerId"), type: .string, required: true),
            FieldSpec(path: FieldPath(dotted: "data.eventType"), type: .string, required: true),
            FieldSpec(path: FieldPath(dotted: "data.amount"), type: .number, required: false),
        ],
        watermark: WatermarkSpec(outOfOrdernessMs: outOfOrdernessMs), window: window,
        aggregations: [
            AggregationSpec(name: "eventCount", kind: .count),
            AggregationSpec(name: "amountCount", kind: .count, field: FieldPath(dotted: "data.amount")),
            AggregationSpec(name: "totalAmount", kind: .sum, field: FieldPath(dotted: "data.amount")),
            AggregationSpec(name: "avgAmount", kind: .avg, field: FieldPath(dotted: "data.amount")),
            AggregationSpec(name: "minAmount", kind: .min, field: FieldPath(dotted: "data.amount")),
            AggregationSpec(name: "maxAmount", kind: .max, field: FieldPath(dotted: "data.amount")),
            AggregationSpec(name: "eventTypes", kind: .countBy, field: FieldPath(dotted: "data.eventType")),
            AggregationSpec(name: "purchases", kind: .count,
                            filter: FieldEquals(field: FieldPath(dotted: "data.eventType"), value: "PURCHASE")),
        ],
        output: OutputSpec(topic: "out", type: "test.window", source: "/stream/test"),
        rules: rules.isEmpty ? nil : RulesSpec(topic: "alerts", type: "test.alert", source: "/stream/test", rules: rules),
        lateTopic: "late", deadLetterTopic: "dead", delivery: .exactlyOnce, checkpointIntervalMs: 10_000)
}

/// What a harness drives: either windowed operator.
protocol HarnessedOperator: AnyObject {
    init(spec: JobSpec, fields: ReaderFields)
    func attach(store: RocksDBStore, maxRowsInMemory: Int)
    func process(_ reader: borrowing CloudEventReader, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
                 into batch: inout OutputBatch) throws -> Bool
    func advanceWatermark(to value: Int64, into batch: inout OutputBatch) throws
}

extension WindowOperator: HarnessedOperator {}
extension SessionWindowOperator: HarnessedOperator {}

typealias OperatorHarness = Harness<WindowOperator>
typealias SessionHarness = Harness<SessionWindowOperator>

/// Drives a windowed operator with CloudEvents parsed by the real reader; collects its output.
final class Harness<Operator: HarnessedOperator> {
    struct Emitted {
        let stream: OutputBatch.Stream
        let key: String
        let raw: String
        let json: [String: Any]
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    }

    let op: Operator
    private var reader: CloudEventReader
    private var batch = OutputBatch()
    private var counter = 0

    init(_ spec: JobSpec, store: RocksDBStore? = nil, maxRowsInMemory: Int = .max) {
        let fields = ReaderFields(spec)
        op = Operator(spec: spec, fields: fields)
        reader = CloudEventReader(timeField: spec.timeField, fields: fields.fields)
        if let store { op.attach(store: store, maxRowsInMemory: maxRowsInMemory) }
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
        return value.withUnsafeBytes { v in
            precondition(reader.read(v) == nil, "test record must be good: \(json)")
            return key.withUnsafeBytes { k in try! op.process(reader, key: k, value: v, into: &batch) }
        }
    }

    func endOfInput() {
        try! op.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &batch)
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
