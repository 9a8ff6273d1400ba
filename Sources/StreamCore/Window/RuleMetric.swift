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

    /// The metric in `row` of `window`, or nil when it has no value there (avg/min/max of nothing).
    @inline(__always)
    func value(window: WindowState, row: Int, width: Int) -> RuleMetricValue? {
        let base = row * width + slot.word
        let word = window.words[base]
        switch slot.kind {
        case .count:
            return .integer(Int64(bitPattern: word))
        case .sum:
            return .real(Double(bitPattern: word))
        case .avg:
            let n = Int64(bitPattern: window.words[base + 1])
            return n == 0 ? nil : .real(Double(bitPattern: word) / Double(n))
        case .min, .max:
            let v = Double(bitPattern: word)
            return v.isNaN ? nil : .real(v)
        case .countBy:
            guard countsOneValue else { return nil }
            guard valueId >= 0 else { return .integer(0) }
            return .integer(window.countBy.count(of: valueId, head: Int32(truncatingIfNeeded: Int64(bitPattern: word))))
        }
    }
}
