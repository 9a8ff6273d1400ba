/// Event-time progress of one input partition (docs/bss-jobs.md §2): a record is judged against the
/// watermark in force before it, then the watermark advances to `t - outOfOrderness - 1`.
public struct PartitionWatermark: Sendable, Equatable {
    /// Before any record: minus infinity.
    public static let minusInfinity = Int64.min
    /// End of a bounded run: every pending window fires.
    public static let plusInfinity = Int64.max

    public private(set) var current: Int64
    public let outOfOrdernessMs: Int64

    public init(outOfOrdernessMs: Int64, current: Int64 = PartitionWatermark.minusInfinity) {
        self.outOfOrdernessMs = outOfOrdernessMs
        self.current = current
    }

    /// Advances after a record with event time `t`; returns true when the watermark moved.
    @inline(__always)
    public mutating func observe(eventTime t: Int64) -> Bool {
        let (candidate, overflow) = t.subtractingReportingOverflow(outOfOrdernessMs + 1)
        if overflow || candidate <= current { return false }
        current = candidate
        return true
    }

    /// Moves the watermark forward to `value` (idle advance, end of input); never backwards.
    public mutating func advance(to value: Int64) -> Bool {
        guard value > current else { return false }
        current = value
        return true
    }
}
