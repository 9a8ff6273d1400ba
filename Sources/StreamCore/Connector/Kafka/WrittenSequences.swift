/// The sequences earlier attempts of a task wrote to one output partition after a checkpoint.
///
/// A set, not a high mark: when records time out in librdkafka's queue, the idempotent producer
/// skips them and goes on, so a partition can hold sequences 0-2 and 6-7 of a task with 3-5
/// never written. A recovering task that suppressed everything up to the highest sequence found
/// would lose 3-5; it suppresses exactly the sequences present and writes the gap again.
struct WrittenSequences: Sendable {
    /// The restored checkpoint's next sequence: everything below it was acknowledged before the
    /// checkpoint, and no regenerated record carries it.
    let base: Int64
    /// Highest sequence found, -1 when none at or above `base`.
    private(set) var highest: Int64 = -1
    /// Bit i: sequence base + i was found.
    private var words: [UInt64] = []

    init(base: Int64) {
        self.base = base
    }

    mutating func insert(_ sequence: Int64) {
        guard sequence >= base else { return }
        let i = Int(sequence - base)
        if i >> 6 >= words.count { words.append(contentsOf: repeatElement(0, count: (i >> 6) + 1 - words.count)) }
        words[i >> 6] |= 1 << UInt64(i & 63)
        highest = max(highest, sequence)
    }

    @inline(__always)
    func contains(_ sequence: Int64) -> Bool {
        guard sequence >= base, sequence <= highest else { return false }
        let i = Int(sequence - base)
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Sequences from `base` to `highest` that were not found: the gaps a recovering task fills.
    var missing: Int64 {
        guard highest >= base else { return 0 }
        return highest - base + 1 - Int64(words.reduce(0) { $0 + $1.nonzeroBitCount })
    }
}
