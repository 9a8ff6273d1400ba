/// The end of a job without a window: each record that passes the steps goes to every sink whose
/// `when` holds, as its input value with the computed fields added to the top-level object.
///
/// Confined to its task's thread.
final class StatelessOutput {
    private let conditions: [CompiledExpression?]
    /// Each computed field: `,"name":` and its slot.
    private let computed: [(tag: [UInt8], slot: Int)]
    /// Event time only drives metrics here: nothing waits for it.
    private(set) var watermark: PartitionWatermark

    init(job: CompiledJob) {
        conditions = job.sinkConditions
        var computed: [(tag: [UInt8], slot: Int)] = []
        for (spec, step) in zip(job.spec.steps, job.steps) {
            guard case .set(let fields) = spec.operation, case .set(let compiled) = step else { continue }
            for (field, c) in zip(fields, compiled) {
                computed.append(([UInt8(ascii: ",")] + JSONText.quoted(field.name) + [UInt8(ascii: ":")], c.slot))
            }
        }
        self.computed = computed
        watermark = PartitionWatermark(outOfOrdernessMs: job.spec.source.watermark.outOfOrdernessMs)
    }

    func observe(eventTime t: Int64) { _ = watermark.observe(eventTime: t) }

    func advanceWatermark(to value: Int64) { _ = watermark.advance(to: value) }

    /// Writes the record to its sinks; a `when` that fails at run time throws (the record is then a
    /// dead letter).
    func write(_ slots: UnsafePointer<ExprValue>, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
               arena: inout ExprArena, into batch: inout OutputBatch) throws(ExpressionFault) {
        for (s, condition) in conditions.enumerated() {
            if let condition, !(try condition.isTrue(slots, arena: &arena)) { continue }
            let marks = batch.beginRecord(key: key)
            append(slots, value: value, to: &batch.writer)
            batch.endRecord(.sink(s), marks)
        }
    }

    /// The value up to its closing brace, then each computed field, then the brace.
    private func append(_ slots: UnsafePointer<ExprValue>, value: UnsafeRawBufferPointer, to w: inout JSONWriter) {
        guard !computed.isEmpty else {
            w.append(value)
            return
        }
        var close = value.count - 1
        while close > 0 && value[close] != UInt8(ascii: "}") { close -= 1 }
        var last = close - 1
        while last > 0 && Self.isWhitespace(value[last]) { last -= 1 }
        w.append(UnsafeRawBufferPointer(rebasing: value[..<close]))
        for (i, field) in computed.enumerated() {
            // An empty object takes no comma before its first member.
            if i == 0 && value[last] == UInt8(ascii: "{") {
                field.tag.withUnsafeBytes { w.append(UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
            } else {
                field.tag.withUnsafeBytes { w.append($0) }
            }
            Self.write(slots[field.slot], to: &w)
        }
        w.raw("}")
    }

    static func write(_ v: ExprValue, to w: inout JSONWriter) {
        switch v.kind {
        case .null: w.raw("null")
        case .boolean: v.bool ? w.raw("true") : w.raw("false")
        // Integral values as integers (a CAST to BIGINT reads as one); others shortest round-trip.
        case .number where v.number.rounded(.towardZero) == v.number && abs(v.number) < 9e15: w.int(Int64(v.number))
        case .number: w.double(v.number)
        case .string: w.string(bytes: v.string)
        }
    }

    private static func isWhitespace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\t")
    }
}
