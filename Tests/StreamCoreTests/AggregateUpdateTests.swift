import Testing
@testable import StreamCore

/// What one record adds to a row: aggregations sharing an operand take the record only when it is
/// not null, conditions gate theirs, and a countBy value is interned only for a record it counts.
@Suite struct AggregateUpdateTests {
    let job: CompiledJob = {
        var spec = windowJob(.tumbling(sizeMs: 60_000))
        spec.source.fields.append(FieldSpec(path: FieldPath(dotted: "data.channel"), type: .string, required: false))
        let purchase = "data.eventType = 'PURCHASE'"
        spec.window?.aggregations = [
            AggregationSpec(name: "events", kind: .count),
            AggregationSpec(name: "amounts", kind: .count, operand: "data.amount"),
            AggregationSpec(name: "total", kind: .sum, operand: "data.amount"),
            AggregationSpec(name: "largest", kind: .max, operand: "data.amount"),
            AggregationSpec(name: "purchaseChannels", kind: .countBy, operand: "data.channel", condition: purchase),
            AggregationSpec(name: "purchased", kind: .sum, operand: "data.amount", condition: purchase),
            AggregationSpec(name: "types", kind: .countBy, operand: "data.eventType"),
        ]
        return try! CompiledJob.compile(spec).get()
    }()

    var layout: AggregateLayout {
        AggregateLayout(job.spec.window!.aggregations, operandSlots: job.operandSlots, conditionSlots: job.conditionSlots)
    }

    /// Reads `json` as a record, prepares it and adds it to row 0; returns the aggregations it took.
    private func add(_ json: String, _ update: AggregateUpdate, _ layout: AggregateLayout,
                     _ columns: RowColumns, _ values: inout [KeyTable]) -> [Int] {
        var reader = RecordReader(timeField: job.spec.source.time, fields: job.schema.readerFields, slots: job.readerSlots)
        let bytes = Array(json.utf8)
        bytes.withUnsafeBytes { #expect(reader.read($0) == nil) }
        let record = UnsafeMutablePointer<ExprValue>.allocate(capacity: job.schema.slotCount)
        defer { record.deallocate() }
        record.initialize(repeating: .null, count: job.schema.slotCount)
        reader.fill(record)
        var arena = ExprArena()
        for input in job.windowInputs { record[input.slot] = try! input.expression.evaluate(record, arena: &arena) }
        update.prepare(record, filters: layout.filterMask(record), values: &values)
        update.apply(to: columns, row: 0, width: layout.width)
        return (0..<layout.slots.count).filter { update.active & (1 << UInt64($0)) != 0 }
    }

    private func event(_ type: String, amount: Double?, channel: String) -> String {
        let amountField = amount.map { ",\"amount\":\($0)" } ?? ""
        return """
            {"specversion":"1.0","id":"e","source":"/s","type":"t","time":"2025-11-04T10:00:00.000Z",\
            "data":{"customerId":"C1","eventType":"\(type)","channel":"\(channel)"\(amountField)}}
            """
    }

    @Test func aggregationsOfAFieldTakeOnlyRecordsHoldingItAndFiltersGateTheirs() throws {
        let layout = self.layout
        let update = AggregateUpdate(layout: layout)
        let columns = RowColumns(layout)
        _ = columns.append(key: 0)
        var values = (0..<layout.countByTables).map { _ in KeyTable() }
        let purchaseChannels = layout.slots[4].countBy, types = layout.slots[6].countBy

        #expect(add(event("PAGE_VIEW", amount: nil, channel: "web"), update, layout, columns, &values) == [0, 6])
        #expect(values[purchaseChannels].count == 0)
        #expect(values[types].count == 1)

        #expect(add(event("REFUND", amount: 4, channel: "web"), update, layout, columns, &values) == [0, 1, 2, 3, 6])
        #expect(values[purchaseChannels].count == 0)

        #expect(add(event("PURCHASE", amount: 2.5, channel: "app"), update, layout, columns, &values)
            == [0, 1, 2, 3, 4, 5, 6])
        #expect(values[purchaseChannels].count == 1)
        #expect(values[types].count == 3)

        let word = { (slot: Int) in columns.words[layout.slots[slot].word] }
        #expect(word(0) == 3)
        #expect(word(1) == 2)
        #expect(Double(bitPattern: word(2)) == 6.5)
        #expect(Double(bitPattern: word(3)) == 4)
        #expect(Double(bitPattern: word(5)) == 2.5)
        let app = try #require(Array("app".utf8).withUnsafeBytes { values[purchaseChannels].lookup($0) })
        let purchase = try #require(Array("PURCHASE".utf8).withUnsafeBytes { values[types].lookup($0) })
        #expect(columns.count(of: app, at: layout.slots[4].word) == 1)
        #expect(columns.count(of: purchase, at: layout.slots[6].word) == 1)
    }
}
