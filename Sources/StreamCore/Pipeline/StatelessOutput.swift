/// The end of a job without a window: each record that passes the steps goes to every sink whose
/// `when` holds, as its input value with the computed fields added to the top-level object.
///
/// Confined to its task's thread.
final class StatelessOutput {
    /// Per sink, its `when`, read per record without retains (the job keeps the expressions).
    private let conditions: UnsafeMutableBufferPointer<Unmanaged<CompiledExpression>?>
    /// Each computed field's `,"name":` tag, back to back in raw memory, with its slot: the record
    /// path reads them without retaining an array per field.
    private let tags: UnsafeMutableRawBufferPointer
    private let fields: UnsafeMutableBufferPointer<(tagStart: Int, tagCount: Int, slot: Int)>
    /// Event time only drives metrics here: nothing waits for it.
    private(set) var watermark: PartitionWatermark

    init(job: CompiledJob) {
        conditions = .allocate(capacity: job.sinkConditions.count)
        _ = conditions.initialize(from: job.sinkConditions.map { $0.map(Unmanaged.passUnretained) })
        var tagBytes: [UInt8] = []
        var fields: [(tagStart: Int, tagCount: Int, slot: Int)] = []
        for (spec, step) in zip(job.spec.steps, job.steps) {
            guard case .set(let specFields) = spec.operation, case .set(let compiled) = step else { continue }
            for (field, c) in zip(specFields, compiled) {
                let tag = [UInt8(ascii: ",")] + JSONText.quoted(field.name) + [UInt8(ascii: ":")]
                fields.append((tagBytes.count, tag.count, c.slot))
                tagBytes += tag
            }
        }
        tags = .allocate(byteCount: max(tagBytes.count, 1), alignment: 1)
        tags.copyBytes(from: tagBytes)
        self.fields = .allocate(capacity: fields.count)
        _ = self.fields.initialize(from: fields)
        watermark = PartitionWatermark(outOfOrdernessMs: job.spec.source.watermark.outOfOrdernessMs)
    }

    deinit {
        conditions.deallocate()
        tags.deallocate()
        fields.deallocate()
    }

    func observe(eventTime t: Int64) { _ = watermark.observe(eventTime: t) }

    func advanceWatermark(to value: Int64) { _ = watermark.advance(to: value) }

    /// Writes the record to its sinks; a `when` that fails at run time throws (the record is then a
    /// dead letter).
    func write(_ slots: UnsafePointer<ExprValue>, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
               arena: inout ExprArena, into batch: inout OutputBatch) throws(ExpressionFault) {
        for s in 0..<conditions.count {
            if let condition = conditions[s] {
                var fault: ExpressionFault?
                let holds = condition._withUnsafeGuaranteedRef { e in
                    do throws(ExpressionFault) { return try e.isTrue(slots, arena: &arena) } catch { fault = error; return false }
                }
                if let fault { throw fault }
                if !holds { continue }
            }
            let marks = batch.beginRecord(key: key)
            append(slots, value: value, to: &batch.writer)
            batch.endRecord(.sink(s), marks)
        }
    }

    /// The value up to its closing brace, then each computed field, then the brace: one
    /// reservation for the whole record.
    private func append(_ slots: UnsafePointer<ExprValue>, value: UnsafeRawBufferPointer, to w: inout JSONWriter) {
        guard fields.count > 0 else {
            w.append(value)
            return
        }
        var close = value.count - 1
        while close > 0 && value[close] != UInt8(ascii: "}") { close -= 1 }
        var last = close - 1
        while last > 0 && Self.isWhitespace(value[last]) { last -= 1 }
        var bound = close + 1
        for field in fields { bound += field.tagCount + Self.bound(of: slots[field.slot]) }
        // An empty object takes no comma before its first member.
        let skipFirstComma = value[last] == UInt8(ascii: "{")
        w.appendBounded(maxCount: bound) { c in
            c.put(UnsafeRawBufferPointer(rebasing: value[..<close]))
            for i in 0..<fields.count {
                let field = fields[i]
                let skip = i == 0 && skipFirstComma ? 1 : 0
                c.put(UnsafeRawBufferPointer(rebasing: tags[(field.tagStart + skip)..<(field.tagStart + field.tagCount)]))
                Self.put(slots[field.slot], to: &c)
            }
            c.put(UInt8(ascii: "}"))
        }
    }

    /// Most bytes `put(_:to:)` writes for `v`.
    private static func bound(of v: ExprValue) -> Int {
        switch v.kind {
        case .null, .boolean: 5
        case .number: ByteCursor.doubleBound
        case .string: 2 + ByteCursor.escapedBound(v.string.count)
        }
    }

    private static func put(_ v: ExprValue, to c: inout ByteCursor) {
        switch v.kind {
        case .null: c.put(StaticString("null"))
        case .boolean: v.bool ? c.put(StaticString("true")) : c.put(StaticString("false"))
        // Integral values as integers (a CAST to BIGINT reads as one); others shortest round-trip.
        case .number where v.number.rounded(.towardZero) == v.number && abs(v.number) < 9e15: c.putInt(Int64(v.number))
        case .number: c.putDouble(v.number)
        case .string:
            c.put(UInt8(ascii: "\""))
            c.putEscaped(v.string)
            c.put(UInt8(ascii: "\""))
        }
    }

    private static func isWhitespace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\t")
    }
}
