/// The live sessions of a `SessionWindowOperator`: one row each in `columns` (aggregates,
/// firings, dirty flag, key), their bounds and status in columns beside it, and each key's
/// sessions as a list in start order, linked through `next`. Rows of dropped or merged-away
/// sessions are reused, so the steady state allocates nothing.
///
/// A key's sessions never intersect (`a.end < b.start` for consecutive ones): any two that
/// would have been merged. Confined to its operator's thread: no exclusivity checks.
final class SessionRows {
    static let none: Int32 = -1

    let columns: RowColumns
    @exclusivity(unchecked) var starts = StateColumn<Int64>()
    @exclusivity(unchecked) var ends = StateColumn<Int64>()
    /// The key's next session by start, or `none`.
    @exclusivity(unchecked) var next = StateColumn<Int32>()
    /// Changed since its last firing, or never fired: fires once the watermark reaches end - 1.
    @exclusivity(unchecked) var pending = StateColumn<Bool>()
    /// Bit i: rule i alerted for this session (or for one merged into it).
    @exclusivity(unchecked) var alerted = StateColumn<UInt32>()
    /// Bumped whenever the row's timer is replaced or the row freed: a timer of another
    /// generation is stale.
    @exclusivity(unchecked) var generations = StateColumn<UInt32>()
    /// Due of the row's live timer, `Int64.max` while it has none.
    @exclusivity(unchecked) var scheduled = StateColumn<Int64>()
    /// The row is in the store, under `storedStarts` (a merge may since have moved its start).
    @exclusivity(unchecked) var isStored = StateColumn<Bool>()
    @exclusivity(unchecked) var storedStarts = StateColumn<Int64>()
    /// Rows changed since the last checkpoint; a freed row's entry is skipped (its dirty flag is clear).
    @exclusivity(unchecked) var dirtyRows = StateColumn<Int32>()
    /// Key ids and starts of stored sessions freed since the last checkpoint.
    @exclusivity(unchecked) var freedKeys = StateColumn<Int32>()
    @exclusivity(unchecked) var freedStarts = StateColumn<Int64>()
    /// Per key id: its first session, or `none` (keys past the end have none).
    @exclusivity(unchecked) private var heads = StateColumn<Int32>()
    @exclusivity(unchecked) private var free = StateColumn<Int32>()
    private(set) var liveCount = 0

    init(_ layout: AggregateLayout) {
        columns = RowColumns(layout)
    }

    @inline(__always)
    func head(of key: Int32) -> Int32 {
        Int(key) < heads.count ? heads[Int(key)] : SessionRows.none
    }

    /// A new session `[start, end)` of `key`, empty and pending, linked after `previous` (or first).
    func open(key: Int32, start: Int64, end: Int64, after previous: Int32) -> Int {
        let row: Int
        if free.count > 0 {
            row = Int(free[free.count - 1])
            free.removeLast()
            columns.keys[row] = key
        } else {
            row = columns.append(key: key)
            starts.append(0)
            ends.append(0)
            next.append(SessionRows.none)
            pending.append(false)
            alerted.append(0)
            generations.append(0)
            scheduled.append(.max)
            isStored.append(false)
            storedStarts.append(0)
        }
        starts[row] = start
        ends[row] = end
        pending[row] = true
        alerted[row] = 0
        scheduled[row] = .max
        link(row, key: key, after: previous)
        liveCount += 1
        return row
    }

    /// Links `row` into its key's list after `previous`, or first when `previous` is `none`.
    private func link(_ row: Int, key: Int32, after previous: Int32) {
        if previous == SessionRows.none {
            while heads.count <= Int(key) { heads.append(SessionRows.none) }
            next[row] = heads[Int(key)]
            heads[Int(key)] = Int32(row)
        } else {
            next[row] = next[Int(previous)]
            next[Int(previous)] = Int32(row)
        }
    }

    /// The key's last session starting before `start`, or `none`: where a session starting at
    /// `start` is linked.
    func predecessor(key: Int32, start: Int64) -> Int32 {
        var previous = SessionRows.none
        var r = head(of: key)
        while r != SessionRows.none && starts[Int(r)] < start {
            previous = r
            r = next[Int(r)]
        }
        return previous
    }

    /// Moves `source`'s aggregates, firings (the higher count) and alerts into `target`; then
    /// frees `source`, which must follow `target` in their key's list.
    func absorb(_ source: Int, into target: Int, layout: AggregateLayout, scratch: inout [CountEntry]) {
        layout.merge(row: source, into: target, of: columns, scratch: &scratch)
        columns.firings[target] = max(columns.firings[target], columns.firings[source])
        alerted[target] |= alerted[source]
        var previous = Int32(target)
        while next[Int(previous)] != Int32(source) { previous = next[Int(previous)] }
        next[Int(previous)] = next[source]
        release(source)
    }

    /// Unlinks and frees a session.
    func remove(_ row: Int) {
        let key = columns.keys[row]
        if heads[Int(key)] == Int32(row) {
            heads[Int(key)] = next[row]
        } else {
            var previous = heads[Int(key)]
            while next[Int(previous)] != Int32(row) { previous = next[Int(previous)] }
            next[Int(previous)] = next[row]
        }
        release(row)
    }

    /// Frees an unlinked row for reuse; its stored copy is deleted at the next checkpoint.
    private func release(_ row: Int) {
        if isStored[row] {
            freedKeys.append(columns.keys[row])
            freedStarts.append(storedStarts[row])
            isStored[row] = false
        }
        columns.reset(row)
        generations[row] &+= 1
        pending[row] = false
        free.append(Int32(row))
        liveCount -= 1
    }

    @inline(__always)
    func markDirty(_ row: Int) {
        if !columns.isDirty[row] {
            columns.isDirty[row] = true
            dirtyRows.append(Int32(row))
        }
    }
}
