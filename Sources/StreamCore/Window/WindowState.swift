/// One window `[start, end)` held in memory: which rows of its `columns` are its rows, one per key
/// that had a record in it. A spilled window has (more) rows in the task's RocksDB store; a row
/// missing here is looked up there.
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
    /// Its place in the operator's `KeyBlockRows`, whose columns it shares; -1: its columns are
    /// its own and `index` finds its rows.
    let place: Int
    let columns: RowColumns
    @exclusivity(unchecked) private var index = RowIndex()
    /// Its rows in `columns`.
    @exclusivity(unchecked) private(set) var rows = StateColumn<Int32>()
    /// Rows changed since they were last written to the store.
    @exclusivity(unchecked) private(set) var dirtyRows = StateColumn<Int32>()

    init(start: Int64, end: Int64, place: Int, columns: RowColumns) {
        self.start = start
        self.end = end
        self.place = place
        self.columns = columns
    }

    var rowCount: Int { rows.count }

    /// The key's row in a window with columns of its own.
    @inline(__always)
    func existingRow(for key: Int32) -> Int? {
        assert(place < 0, "a window in key blocks has no index")
        return index.row(of: key)
    }

    /// Starts loading where a window with columns of its own indexes `key`.
    @inline(__always)
    func prefetchIndexSlot(for key: Int32) {
        index.prefetchSlot(of: key)
    }

    /// Starts loading the key's row, when a window with columns of its own has one (its index
    /// slot should be cached by then: this reads it).
    @inline(__always)
    func prefetchRow(for key: Int32) {
        if let row = index.row(of: key) { columns.prefetchRows(row, count: 1) }
    }

    /// Adds a row for a key that has none in memory to a window with columns of its own.
    @inline(__always)
    func addOwnRow(for key: Int32) -> Int {
        let row = columns.append(key: key)
        rows.append(Int32(truncatingIfNeeded: row))
        index.insert(key, row: row)
        return row
    }

    /// Takes `row` of the shared columns, which its key block just gave this window.
    @inline(__always)
    func adoptRow(_ row: Int) {
        rows.append(Int32(truncatingIfNeeded: row))
    }

    @inline(__always)
    func markDirty(_ row: Int) {
        if !columns.isDirty[row] {
            columns.isDirty[row] = true
            dirtyRows.append(Int32(row))
        }
    }

    func clearDirty() {
        for i in 0..<dirtyRows.count { columns.isDirty[Int(dirtyRows[i])] = false }
        dirtyRows.removeAll()
    }

    /// Forgets every row held in memory; rows in shared columns must have been cleared there.
    func forgetRows() {
        if place < 0 {
            index = RowIndex()
            columns.removeAll()
        }
        rows = StateColumn()
        dirtyRows = StateColumn()
    }
}
