/// A countBy aggregation in a window row: the counts of the first `inlineValues` value ids sit
/// in the row itself, the others in a `CountByArena` list whose head is the row's
/// first countBy word. countBy fields are mostly small enums (statuses, event types), so a
/// record adds to its row's own cache line instead of walking a list elsewhere in memory.
enum CountByRow {
    /// Counts after the list head word in a row.
    static let inlineValues = 8
}

extension RowColumns {
    /// Adds `by` to the count of `value` in the countBy whose first word is `at`.
    @inline(__always)
    func addCount(of value: Int32, by: Int64, at: Int) {
        if value < CountByRow.inlineValues {
            words[at + 1 + Int(value)] &+= UInt64(bitPattern: by)
        } else {
            words[at] = UInt64(bitPattern: Int64(countBy.add(value, by: by, head: listHead(at: at))))
        }
    }

    /// The first entry of the list of the countBy whose first word is `at`.
    @inline(__always)
    func listHead(at: Int) -> Int32 {
        Int32(truncatingIfNeeded: Int64(bitPattern: words[at]))
    }

    /// The count of a value id below `CountByRow.inlineValues`.
    @inline(__always)
    func inlineCount(of value: Int32, at: Int) -> Int64 {
        Int64(bitPattern: words[at + 1 + Int(value)])
    }

    /// Some counts of the countBy whose first word is `at` are in a list.
    @inline(__always)
    func hasCountByList(at: Int) -> Bool {
        listHead(at: at) != CountByArena.none
    }

    func count(of value: Int32, at: Int) -> Int64 {
        value < CountByRow.inlineValues ? inlineCount(of: value, at: at) : countBy.count(of: value, head: listHead(at: at))
    }

    /// The values with a count in the countBy whose first word is `at`.
    func valueCount(at: Int) -> Int {
        var n = countBy.valueCount(head: listHead(at: at))
        for value in 0..<Int32(CountByRow.inlineValues) where inlineCount(of: value, at: at) != 0 { n += 1 }
        return n
    }

    /// Visits every (value id, count) with a count, inline values first.
    @inline(__always)
    func forEachCount(at: Int, _ body: (Int32, Int64) throws -> Void) rethrows {
        for value in 0..<Int32(CountByRow.inlineValues) {
            let n = inlineCount(of: value, at: at)
            if n != 0 { try body(value, n) }
        }
        try countBy.forEach(head: listHead(at: at), body)
    }
}
