/// Per-window storage of `countBy` aggregations: one singly linked list of (value id, count)
/// per row, in one column, so a window's lists are freed together when the window is dropped.
struct CountByArena: ~Copyable {
    static let none: Int32 = -1

    private var entries = StateColumn<CountByArenaEntry>()

    /// Adds `by` to the count of `valueId` in the list starting at `head`; returns the new head.
    @inline(__always)
    mutating func add(_ valueId: Int32, by: Int64 = 1, head: Int32) -> Int32 {
        var i = head
        while i != CountByArena.none {
            let entry = entries[Int(i)]
            if entry.valueId == valueId {
                entries[Int(i)].count = entry.count + by
                return head
            }
            i = entry.next
        }
        entries.append(CountByArenaEntry(valueId: valueId, next: head, count: by))
        return Int32(entries.count - 1)
    }

    func count(of valueId: Int32, head: Int32) -> Int64 {
        var i = head
        while i != CountByArena.none {
            let entry = entries[Int(i)]
            if entry.valueId == valueId { return entry.count }
            i = entry.next
        }
        return 0
    }

    /// Visits every (value id, count) of one list.
    func forEach(head: Int32, _ body: (Int32, Int64) throws -> Void) rethrows {
        var i = head
        while i != CountByArena.none {
            let entry = entries[Int(i)]
            try body(entry.valueId, entry.count)
            i = entry.next
        }
    }
}

/// One (value id, count) of a list, and the index of the next entry of the same list.
struct CountByArenaEntry {
    var valueId: Int32
    var next: Int32
    var count: Int64
}
