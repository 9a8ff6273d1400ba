/// Storage of `countBy` aggregations beyond the values a row keeps inline: one singly linked
/// list of (value id, count) per row, in one column, freed together with the columns or, for
/// rows shared across windows, list by list for reuse.
struct CountByArena: ~Copyable {
    static let none: Int32 = -1

    private var entries = StateColumn<CountByArenaEntry>()
    /// First of the entries freed for reuse, chained through `next`.
    private var freeHead = CountByArena.none

    /// Entries held, in use or free for reuse.
    var entryCount: Int { entries.count }

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
        if freeHead != CountByArena.none {
            let reused = freeHead
            freeHead = entries[Int(reused)].next
            entries[Int(reused)] = CountByArenaEntry(valueId: valueId, next: head, count: by)
            return reused
        }
        entries.append(CountByArenaEntry(valueId: valueId, next: head, count: by))
        return Int32(entries.count - 1)
    }

    /// Forgets every list, keeping the memory.
    mutating func removeAll() {
        entries.removeAll()
        freeHead = CountByArena.none
    }

    /// Frees the list starting at `head` for reuse.
    mutating func release(head: Int32) {
        guard head != CountByArena.none else { return }
        var last = head
        while entries[Int(last)].next != CountByArena.none { last = entries[Int(last)].next }
        entries[Int(last)].next = freeHead
        freeHead = head
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
