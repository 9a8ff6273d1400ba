/// Where a window step's results go: an encoder per sink, and the sinks' and rules' `when`
/// conditions, which read the result's fields (`ResultFields`) put in slots once per result. A
/// condition that fails at run time (a division by zero) does not hold: a result is not an input
/// record that could become a dead letter.
///
/// Confined to its task's thread.
final class ResultSinks {
    private let owned: [WindowResultEncoder]
    /// The same encoders, read per result without reference counting (`owned` keeps them).
    private let encoders: [Unmanaged<WindowResultEncoder>]
    private let conditions: [CompiledExpression?]
    private let ruleConditions: [CompiledExpression?]
    /// Whether any condition reads the result's fields, which are then filled per result.
    private let routed: Bool
    private let slots: UnsafeMutablePointer<ExprValue>
    private let slotCount: Int
    private let aggregations: [AggregateLayout.Slot]
    private let width: Int
    private var arena = ExprArena()

    init(job: CompiledJob, layout: AggregateLayout) {
        let spec = job.spec
        let keyName = spec.groupKey.leaf
        let aggregations = spec.window?.aggregations ?? []
        owned = spec.sinks.enumerated().map {
            WindowResultEncoder(job: spec.name, sink: $1, stream: .sink($0), keyName: keyName,
                                aggregations: aggregations, layout: layout)
        }
        encoders = owned.map { .passUnretained($0) }
        conditions = job.sinkConditions
        ruleConditions = job.ruleConditions
        routed = (conditions + ruleConditions).contains { $0 != nil }
        slotCount = job.resultFields?.slotCount ?? ResultFields.firstAggregationSlot
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .null, count: slotCount)
        self.aggregations = layout.slots
        width = layout.width
    }

    deinit {
        slots.deallocate()
    }

    /// Writes the result of `row` of `columns` for the window `[start, end)` to each sink it goes
    /// to; `rank` is a top-N result's (0: none).
    @inline(__always)
    func emit(into batch: inout OutputBatch, key: UnsafeRawBufferPointer, start: Int64, end: Int64,
              columns: RowColumns, row: Int, revision: Int32, rank: Int = 0, values: [KeyTable]) {
        if routed { fill(key: key, start: start, end: end, columns: columns, row: row, revision: revision) }
        for s in 0..<encoders.count where !routed || holds(conditions[s]) {
            encoders[s]._withUnsafeGuaranteedRef {
                $0.encode(into: &batch, key: key, start: start, end: end, columns: columns, row: row,
                          revision: revision, rank: rank, values: values)
            }
        }
    }

    private func fill(key: UnsafeRawBufferPointer, start: Int64, end: Int64, columns: RowColumns, row: Int, revision: Int32) {
        slots[0] = .string(key)
        slots[ResultFields.windowStartSlot] = .number(Double(start))
        slots[ResultFields.windowEndSlot] = .number(Double(end))
        slots[ResultFields.revisionSlot] = .number(Double(revision))
        let base = row * width
        for (i, slot) in aggregations.enumerated() where slot.kind != .countBy {
            let at = ResultFields.firstAggregationSlot + i
            switch slot.scalar(in: columns, base: base) {
            case .integer(let n): slots[at] = .number(Double(n))
            case .real(let d): slots[at] = .number(d)
            case nil: slots[at] = .null
            }
        }
    }

    /// The value a `topN` step ranks the result of `row` by (`CompiledJob.topNBy`); NaN when it is
    /// null or fails at run time (a division by zero): such a result ranks after every number.
    func rankValue(_ by: CompiledExpression, key: UnsafeRawBufferPointer, start: Int64, end: Int64,
                   columns: RowColumns, row: Int) -> Double {
        fill(key: key, start: start, end: end, columns: columns, row: row, revision: columns.firings[row])
        arena.reset()
        guard let value = try? by.evaluate(slots, arena: &arena), value.kind == .number else { return .nan }
        return value.number
    }

    /// Whether rule `index`'s `when` holds for the result last emitted.
    @inline(__always)
    func ruleHolds(_ index: Int) -> Bool { !routed || holds(ruleConditions[index]) }

    private func holds(_ condition: CompiledExpression?) -> Bool {
        guard let condition else { return true }
        arena.reset()
        return (try? condition.isTrue(slots, arena: &arena)) ?? false
    }
}
