/// The rows of one window `[start, end)`: one row per key that had a record in it.
final class WindowState {
    let start: Int64
    let end: Int64
    /// Fired on the watermark (rows added later fire on their own, as revisions).
    var fired = false
    /// Key id -> row + 1; 0 when the key has no row.
    private var directory: [Int32] = []
    private(set) var rowKeys: [Int32] = []
    /// Firings so far per row: the revision of its next firing.
    var rowFirings: [Int32] = []
    var words: [UInt64] = []
    var countBy = CountByArena()
    /// Rows changed since the last checkpoint.
    private(set) var dirtyRows: [Int32] = []
    private var isDirty: [Bool] = []

    init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    var rowCount: Int { rowKeys.count }

    /// Row of `key`, created from `emptyRow` when the key is new to this window.
    @inline(__always)
    func row(for key: Int32, emptyRow: [UInt64]) -> Int {
        let k = Int(key)
        if k < directory.count {
            let r = directory[k]
            if r != 0 { return Int(r - 1) }
        } else {
            directory.append(contentsOf: repeatElement(0, count: Swift.max(k + 1 - directory.count, directory.count)))
        }
        let row = rowKeys.count
        rowKeys.append(key)
        rowFirings.append(0)
        words.append(contentsOf: emptyRow)
        isDirty.append(false)
        directory[k] = Int32(row + 1)
        return row
    }

    func existingRow(for key: Int32) -> Int? {
        let k = Int(key)
        guard k < directory.count, directory[k] != 0 else { return nil }
        return Int(directory[k] - 1)
    }

    @inline(__always)
    func markDirty(_ row: Int) {
        if !isDirty[row] {
            isDirty[row] = true
            dirtyRows.append(Int32(row))
        }
    }

    func clearDirty() {
        for r in dirtyRows { isDirty[Int(r)] = false }
        dirtyRows.removeAll(keepingCapacity: true)
    }
}
