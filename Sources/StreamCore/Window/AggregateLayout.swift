/// The aggregations of a job compiled to a fixed row of 64-bit words, so updating a window
/// row is a few array writes driven by a precomputed table: no per-record allocation.
public struct AggregateLayout: Sendable {
    struct Slot: Sendable {
        let kind: AggregationSpec.Kind
        /// The record slot of the aggregated operand, or -1 (plain count).
        let field: Int
        /// Index into `filters`, or -1.
        let filter: Int
        /// First word of this aggregation in a row.
        let word: Int
        /// Index of the value table for `countBy` and `countDistinct`, or -1.
        let countBy: Int
    }

    let slots: [Slot]
    /// The record slot of each distinct condition (a boolean).
    let filters: [Int]
    /// Words per row.
    let width: Int
    let countByTables: Int
    /// Initial value of a row: counts and sums 0, min/max "absent", countBy counts 0 and lists empty.
    let emptyRow: [UInt64]

    static let absent = Double.nan.bitPattern

    /// `operandSlots` and `conditionSlots`: per aggregation, the record slot of its operand and of
    /// its condition, or -1 (`CompiledJob`).
    init(_ aggregations: [AggregationSpec], operandSlots: [Int], conditionSlots: [Int]) {
        var slots: [Slot] = []
        var filters: [Int] = []
        var word = 0
        var countBy = 0
        var empty: [UInt64] = []
        for (i, agg) in aggregations.enumerated() {
            var filterIndex = -1
            if conditionSlots[i] >= 0 {
                if let existing = filters.firstIndex(of: conditionSlots[i]) {
                    filterIndex = existing
                } else {
                    filters.append(conditionSlots[i])
                    filterIndex = filters.count - 1
                }
            }
            let fieldIndex = operandSlots[i]
            var tableIndex = -1
            switch agg.kind {
            case .count: empty.append(0)
            case .sum: empty.append(Double(0).bitPattern)
            case .avg: empty.append(contentsOf: [Double(0).bitPattern, 0])
            case .min, .max: empty.append(AggregateLayout.absent)
            case .countBy, .countDistinct:
                empty.append(UInt64(bitPattern: Int64(CountByArena.none)))
                empty.append(contentsOf: repeatElement(0, count: CountByRow.inlineValues))
                tableIndex = countBy
                countBy += 1
            }
            slots.append(Slot(kind: agg.kind, field: fieldIndex, filter: filterIndex, word: word, countBy: tableIndex))
            word = empty.count
        }
        precondition(filters.count <= 64, "at most 64 distinct filters per job")
        self.slots = slots
        self.filters = filters
        self.width = empty.count
        self.countByTables = countBy
        self.emptyRow = empty
    }

    /// Bit i set when condition i is TRUE for the record in `values`.
    @inline(__always)
    func filterMask(_ values: UnsafePointer<ExprValue>) -> UInt64 {
        var mask: UInt64 = 0
        for (i, slot) in filters.enumerated() where values[slot].kind == .boolean && values[slot].bool {
            mask |= 1 << UInt64(i)
        }
        return mask
    }
}
