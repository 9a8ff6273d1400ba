/// The aggregations of a job compiled to a fixed row of 64-bit words, so updating a window
/// row is a few array writes driven by a precomputed table: no per-record allocation.
public struct AggregateLayout: Sendable {
    struct Slot: Sendable {
        let kind: AggregationSpec.Kind
        /// Index of the aggregated field in the reader's field list, or -1 (plain count).
        let field: Int
        /// Index into `filters`, or -1.
        let filter: Int
        /// First word of this aggregation in a row.
        let word: Int
        /// Index of the value table for `countBy`, or -1.
        let countBy: Int
    }

    struct Filter: Sendable {
        let field: Int
        let value: [UInt8]
    }

    let slots: [Slot]
    let filters: [Filter]
    /// Words per row.
    let width: Int
    let countByTables: Int
    /// Initial value of a row: counts and sums 0, min/max "absent", countBy counts 0 and lists empty.
    let emptyRow: [UInt64]

    static let absent = Double.nan.bitPattern

    init(_ aggregations: [AggregationSpec], fields: ReaderFields) {
        var slots: [Slot] = []
        var filters: [Filter] = []
        var word = 0
        var countBy = 0
        var empty: [UInt64] = []
        for agg in aggregations {
            var filterIndex = -1
            if let f = agg.filter {
                let fieldIndex = fields.index(of: f.field)
                let value = Array(f.value.utf8)
                if let existing = filters.firstIndex(where: { $0.field == fieldIndex && $0.value == value }) {
                    filterIndex = existing
                } else {
                    filters.append(Filter(field: fieldIndex, value: value))
                    filterIndex = filters.count - 1
                }
            }
            let fieldIndex = agg.field.map { fields.index(of: $0) } ?? -1
            var tableIndex = -1
            switch agg.kind {
            case .count: empty.append(0)
            case .sum: empty.append(Double(0).bitPattern)
            case .avg: empty.append(contentsOf: [Double(0).bitPattern, 0])
            case .min, .max: empty.append(AggregateLayout.absent)
            case .countBy:
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

    /// Bit i set when filter i holds for the record the reader holds.
    @inline(__always)
    func filterMask(_ reader: borrowing CloudEventReader) -> UInt64 {
        var mask: UInt64 = 0
        for (i, f) in filters.enumerated() where reader.isPresent(f.field) {
            let bytes = reader.stringBytes(f.field)
            if bytes.count == f.value.count && f.value.withUnsafeBytes({ $0.elementsEqual(bytes) }) {
                mask |= 1 << UInt64(i)
            }
        }
        return mask
    }
}
