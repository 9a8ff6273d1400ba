/// The rows of one window `[start, end)` held in memory: one row per key that had a record in it.
/// A spilled window has (more) rows in the task's RocksDB store; a row missing here is looked up there.
///
/// Confined to its task's thread and never re-entered, so its hot properties skip the runtime
/// exclusivity checks, which cost a third of the per-record instructions, and its columns skip
/// copy-on-write checks (`StateColumn`).
final class WindowState {
    let start: Int64
    let end: Int64
    /// Fired on the watermark (rows added later fire on their own, as revisions).
    @exclusivity(unchecked) var fired = false
    /// Some of this window's rows live only in the RocksDB store.
    @exclusivity(unchecked) var spilled = false
    /// Its place in the operator's `WindowRowDirectory`, where its rows are found by key; -1:
    /// found through its own index.
    let place: Int
    @exclusivity(unchecked) private var index = RowIndex()
    @exclusivity(unchecked) private(set) var rowKeys = StateColumn<Int32>()
    /// Firings so far per row: the revision of its next firing.
    @exclusivity(unchecked) private(set) var rowFirings = StateColumn<Int32>()
    /// The rows' aggregate words, `AggregateLayout.width` per row.
    @exclusivity(unchecked) private(set) var words = StateColumn<UInt64>()
    @exclusivity(unchecked) var countBy = CountByArena()
    /// Rows changed since they were last written to the store.
    @exclusivity(unchecked) private(set) var dirtyRows = StateColumn<Int32>()
    @exclusivity(unchecked) private var isDirty = StateColumn<Bool>()

    init(start: Int64, end: Int64, place: Int = -1) {
        self.start = start
        self.end = end
        self.place = place
    }

    var rowCount: Int { rowKeys.count }

    /// The key's row in a window without a place in the directory.
    @inline(__always)
    func existingRow(for key: Int32) -> Int? {
        assert(place < 0, "a window with a directory place has no index")
        return index.row(of: key)
    }

    /// Adds a row for a key that has none in memory, initialised to `emptyRow`. A window with a
    /// directory place leaves the key's entry there to its operator.
    @inline(__always)
    func addRow(for key: Int32, emptyRow: UnsafeBufferPointer<UInt64>) -> Int {
        let row = rowKeys.count
        rowKeys.append(key)
        rowFirings.append(0)
        words.append(contentsOf: emptyRow)
        isDirty.append(false)
        if place < 0 { index.insert(key, row: row) }
        return row
    }

    @inline(__always)
    func markDirty(_ row: Int) {
        if !isDirty[row] {
            isDirty[row] = true
            dirtyRows.append(Int32(row))
        }
    }

    func clearDirty() {
        for i in 0..<dirtyRows.count { isDirty[Int(dirtyRows[i])] = false }
        dirtyRows.removeAll()
    }

    /// Forgets every row held in memory (after they were written to the store).
    func evictRows() {
        index = RowIndex()
        rowKeys = StateColumn()
        rowFirings = StateColumn()
        words = StateColumn()
        countBy = CountByArena()
        dirtyRows = StateColumn()
        isDirty = StateColumn()
        spilled = true
    }
}
