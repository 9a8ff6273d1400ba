/// Per-window storage of `countBy` aggregations: one singly linked list of (value id, count)
/// per row, in arrays, so a window's lists are freed together when the window is dropped.
struct CountByArena: Sendable {
    static let none: Int32 = -1
    private(set) var valueIds: [Int32] = []
    private(set) var counts: [Int64] = []
    private(set) var next: [Int32] = []

    /// Adds `by` to the count of `valueId` in the list starting at `head`; returns the new head.
    @inline(__always)
    mutating func add(_ valueId: Int32, by: Int64 = 1, head: Int32) -> Int32 {
        var i = head
        while i != CountByArena.none {
            if valueIds[Int(i)] == valueId {
                counts[Int(i)] += by
                return head
            }
            i = next[Int(i)]
        }
        valueIds.append(valueId)
        counts.append(by)
        next.append(head)
        return Int32(valueIds.count - 1)
    }

    func count(of valueId: Int32, head: Int32) -> Int64 {
        var i = head
        while i != CountByArena.none {
            if valueIds[Int(i)] == valueId { return counts[Int(i)] }
            i = next[Int(i)]
        }
        return 0
    }

    /// Visits every (value id, count) of one list.
    func forEach(head: Int32, _ body: (Int32, Int64) throws -> Void) rethrows {
        var i = head
        while i != CountByArena.none {
            try body(valueIds[Int(i)], counts[Int(i)])
            i = next[Int(i)]
        }
    }
}
