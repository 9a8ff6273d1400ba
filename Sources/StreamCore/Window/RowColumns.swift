/// Window rows in columns: each row's aggregate words (`AggregateLayout.width` per row), countBy
/// lists, firings so far, dirty flag and key. A window owns its columns (rows in arrival order)
/// or, for overlapping windows, shares its operator's, where `KeyBlockRows` keeps a key's rows
/// in all its recent windows side by side.
///
/// Confined to its task's thread and never re-entered: no exclusivity or copy-on-write checks.
final class RowColumns {
    let width: Int
    /// Words of each countBy's list head within a row (their lists are freed with the row).
    private let countByWords: [Int]
    /// `AggregateLayout.emptyRow`: shared with the layout, not copied.
    private let emptyRow: [UInt64]
    @exclusivity(unchecked) var words = StateColumn<UInt64>()
    @exclusivity(unchecked) var countBy = CountByArena()
    /// Firings so far per row: the revision of its next firing.
    @exclusivity(unchecked) var firings = StateColumn<Int32>()
    /// Changed since last written to the store.
    @exclusivity(unchecked) var isDirty = StateColumn<Bool>()
    @exclusivity(unchecked) var keys = StateColumn<Int32>()

    init(_ layout: AggregateLayout) {
        width = layout.width
        countByWords = layout.slots.filter { $0.kind.keepsValueCounts }.map(\.word)
        emptyRow = layout.emptyRow
    }

    /// Appends an empty row for `key`; returns it.
    @inline(__always)
    func append(key: Int32) -> Int {
        let row = keys.count
        keys.append(key)
        firings.append(0)
        isDirty.append(false)
        emptyRow.withUnsafeBufferPointer { words.append(contentsOf: $0) }
        return row
    }

    /// Starts loading what updating rows `first ..< first + count` touches: their words and dirty flags.
    @inline(__always)
    func prefetchRows(_ first: Int, count: Int) {
        let lineWords = 8
        var word = first * width
        let end = (first + count) * width
        while word < end {
            words.prefetch(word)
            word += lineWords
        }
        words.prefetch(end - 1)
        isDirty.prefetch(first)
    }

    /// Empties `row`, its countBy lists freed for reuse.
    func reset(_ row: Int) {
        let base = row * width
        for word in countByWords {
            countBy.release(head: listHead(at: base + word))
        }
        emptyRow.withUnsafeBufferPointer { words.update(at: base, from: $0) }
        firings[row] = 0
        isDirty[row] = false
    }

    /// Forgets every row, keeping the memory.
    func removeAll() {
        words.removeAll()
        countBy.removeAll()
        firings.removeAll()
        isDirty.removeAll()
        keys.removeAll()
    }
}
