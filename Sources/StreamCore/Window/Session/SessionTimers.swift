/// When each session next needs the watermark: to fire (at end - 1) or to be dropped (at
/// end - 1 + allowed lateness). A binary min-heap by due, then key bytes, so popping fires
/// sessions by end, then key, whatever order they were scheduled in.
///
/// A session has one live timer: its row's generation. Replacing a timer or freeing the row
/// bumps the generation, and the older timer is skipped when it comes up (never searched for).
/// A session whose end moved later keeps its early timer, which reschedules it when it comes
/// up: the record that extends a session does no heap work.
struct SessionTimers: ~Copyable {
    struct Timer {
        var due: Int64
        /// `KeyTable.orderPrefix` of the key: most ties on due are decided without the key's bytes.
        var prefix: UInt64
        var key: Int32
        var row: Int32
        var generation: UInt32
    }

    private var heap = StateColumn<Timer>()

    /// The earliest timer, if any.
    var first: Timer? { heap.count > 0 ? heap[0] : nil }

    mutating func push(_ timer: Timer, keys: borrowing KeyTable) {
        heap.append(timer)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.precedes(heap[i], heap[parent], keys: keys) else { break }
            swap(i, parent)
            i = parent
        }
    }

    mutating func removeFirst(keys: borrowing KeyTable) {
        let last = heap[heap.count - 1]
        heap.removeLast()
        guard heap.count > 0 else { return }
        heap[0] = last
        var i = 0
        while true {
            let left = 2 * i + 1, right = left + 1
            var least = i
            if left < heap.count && Self.precedes(heap[left], heap[least], keys: keys) { least = left }
            if right < heap.count && Self.precedes(heap[right], heap[least], keys: keys) { least = right }
            if least == i { return }
            swap(i, least)
            i = least
        }
    }

    private func swap(_ a: Int, _ b: Int) {
        let t = heap[a]
        heap[a] = heap[b]
        heap[b] = t
    }

    @inline(__always)
    private static func precedes(_ a: Timer, _ b: Timer, keys: borrowing KeyTable) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        return a.key != b.key && keys.lessThanPastPrefix(a.key, b.key)
    }
}
