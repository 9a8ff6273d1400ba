/// One aggregation's value in a window row, as results and alerts write it: counts stay
/// integers, sums, averages and extremes are reals.
enum AggregateValue: Sendable {
    case integer(Int64)
    case real(Double)

    var asDouble: Double {
        switch self {
        case .integer(let n): Double(n)
        case .real(let d): d
        }
    }
}

extension AggregateLayout.Slot {
    /// This count, sum, average, minimum, maximum or distinct count in the row whose first word is
    /// `base`; nil for an average, minimum or maximum no record gave a value to. Not for countBy.
    @inline(__always)
    func scalar(in columns: RowColumns, base: Int) -> AggregateValue? {
        let value = columns.words[base + word]
        switch kind {
        case .count:
            return .integer(Int64(bitPattern: value))
        case .sum:
            return .real(Double(bitPattern: value))
        case .avg:
            let n = Int64(bitPattern: columns.words[base + word + 1])
            return n == 0 ? nil : .real(Double(bitPattern: value) / Double(n))
        case .min, .max:
            let v = Double(bitPattern: value)
            return v.isNaN ? nil : .real(v)
        case .countDistinct:
            return .integer(Int64(columns.valueCount(at: base + word)))
        case .countBy:
            preconditionFailure("a countBy has no scalar value")
        }
    }
}
