/// What a firing needs to test one threshold rule: where its metric lies in a row and the
/// threshold. Plain values only, so testing the rules of a firing copies and retains nothing.
struct RuleMetric {
    let slot: AggregateLayout.Slot
    let threshold: Double
    /// The metric is one value's count of a countBy aggregation (`statusCounts.PAYMENT_FAILED`).
    let countsOneValue: Bool
    /// That value's id in its table once a record carried it (ids never change), else -1.
    var valueId: Int32 = -1

    init(_ rule: CompiledRule, layout: AggregateLayout) {
        slot = layout.slots[rule.slot]
        threshold = rule.threshold
        countsOneValue = rule.countByValue != nil
    }

    /// The metric in `row` of `columns`, or nil when it has no value there (avg/min/max of nothing).
    @inline(__always)
    func value(columns: RowColumns, row: Int) -> AggregateValue? {
        let base = row * columns.width
        guard slot.kind == .countBy else { return slot.scalar(in: columns, base: base) }
        guard countsOneValue else { return nil }
        guard valueId >= 0 else { return .integer(0) }
        return .integer(columns.count(of: valueId, at: base + slot.word))
    }
}
