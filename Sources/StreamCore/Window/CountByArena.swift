/// Storage of `countBy` aggregations beyond the values a row keeps inline: per row a singly
/// linked list of (value id, count) in one column, or, once the list is longer than
/// `longestList`, a `CountTable`, so a distinct count over thousands of values stays constant
/// time per record. Freed together with the columns or, for rows shared across windows, row by
/// row for reuse.
///
/// A row's handle (its "head") is `none`, an entry index (>= 0) or `-2 - t` for table `t`.
struct CountByArena: ~Copyable {
    static let none: Int32 = -1
    /// Values a list holds before it becomes a table: short lists are the common case (statuses,
    /// event types) and a walk over them costs less than a hash.
    static let longestList = 16

    private var entries = StateColumn<CountByArenaEntry>()
    /// First of the entries freed for reuse, chained through `next`.
    private var freeHead = CountByArena.none
    private var tables = StateColumn<CountTable>()
    /// Per table: in use (not freed).
    private var tableInUse = StateColumn<Bool>()
    /// Indexes of `tables` freed for reuse.
    private var freeTables: [Int32] = []

    /// Entries held, in use or free for reuse.
    var entryCount: Int { entries.count }

    deinit {
        for t in 0..<tables.count where tableInUse[t] { tables[t].deallocate() }
    }

    @inline(__always)
    private static func table(of head: Int32) -> Int { Int(-2 - head) }

    /// Adds `by` to the count of `valueId` in the counts whose handle is `head`; returns the new handle.
    @inline(__always)
    mutating func add(_ valueId: Int32, by: Int64 = 1, head: Int32) -> Int32 {
        if head < CountByArena.none {
            var table = tables[Self.table(of: head)]
            table.add(valueId, by: by)
            tables[Self.table(of: head)] = table
            return head
        }
        var i = head, length = 0
        while i != CountByArena.none {
            let entry = entries[Int(i)]
            if entry.valueId == valueId {
                entries[Int(i)].count = entry.count + by
                return head
            }
            i = entry.next
            length += 1
        }
        if length >= Self.longestList { return tabulate(head: head, length: length, adding: valueId, by: by) }
        if freeHead != CountByArena.none {
            let reused = freeHead
            freeHead = entries[Int(reused)].next
            entries[Int(reused)] = CountByArenaEntry(valueId: valueId, next: head, count: by)
            return reused
        }
        entries.append(CountByArenaEntry(valueId: valueId, next: head, count: by))
        return Int32(entries.count - 1)
    }

    /// Moves the list at `head` into a new table with `valueId` added; returns the table's handle.
    private mutating func tabulate(head: Int32, length: Int, adding valueId: Int32, by: Int64) -> Int32 {
        var table = CountTable(values: 2 * (length + 1))
        forEach(head: head) { table.add($0, by: $1) }
        table.add(valueId, by: by)
        release(head: head)
        let t: Int
        if let free = freeTables.popLast() {
            t = Int(free)
            tables[t] = table
            tableInUse[t] = true
        } else {
            t = tables.count
            tables.append(table)
            tableInUse.append(true)
        }
        return -2 - Int32(t)
    }

    /// Forgets every list and table, keeping the lists' memory.
    mutating func removeAll() {
        for t in 0..<tables.count where tableInUse[t] { tables[t].deallocate() }
        tables.removeAll()
        tableInUse.removeAll()
        freeTables.removeAll()
        entries.removeAll()
        freeHead = CountByArena.none
    }

    /// Frees the counts whose handle is `head` for reuse.
    mutating func release(head: Int32) {
        guard head != CountByArena.none else { return }
        if head < CountByArena.none {
            let t = Self.table(of: head)
            tables[t].deallocate()
            tableInUse[t] = false
            freeTables.append(Int32(t))
            return
        }
        var last = head
        while entries[Int(last)].next != CountByArena.none { last = entries[Int(last)].next }
        entries[Int(last)].next = freeHead
        freeHead = head
    }

    func count(of valueId: Int32, head: Int32) -> Int64 {
        if head < CountByArena.none { return tables[Self.table(of: head)].count(of: valueId) }
        var i = head
        while i != CountByArena.none {
            let entry = entries[Int(i)]
            if entry.valueId == valueId { return entry.count }
            i = entry.next
        }
        return 0
    }

    /// The values with a count, of one list or table.
    func valueCount(head: Int32) -> Int {
        if head < CountByArena.none { return tables[Self.table(of: head)].count }
        var i = head, n = 0
        while i != CountByArena.none {
            n += 1
            i = entries[Int(i)].next
        }
        return n
    }

    /// Visits every (value id, count) of one list or table.
    func forEach(head: Int32, _ body: (Int32, Int64) throws -> Void) rethrows {
        if head < CountByArena.none { return try tables[Self.table(of: head)].forEach(body) }
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
