/// When each dedup entry expires: a binary min-heap of (watermark at which it expires, entry id) in
/// one flat column. Entries are created out of event-time order, so a queue would not do; each
/// entry is pushed once and popped once, at O(log n).
struct ExpiryHeap: ~Copyable {
    struct Timer: BitwiseCopyable {
        var at: Int64
        var id: Int32
    }

    private var timers = StateColumn<Timer>()

    var count: Int { timers.count }

    /// The earliest expiry, or `Int64.max` when there is none.
    @inline(__always)
    var earliest: Int64 { timers.count > 0 ? timers[0].at : Int64.max }

    mutating func push(at: Int64, id: Int32) {
        timers.append(Timer(at: at, id: id))
        var i = timers.count - 1
        let timer = timers[i]
        while i > 0 {
            let parent = (i - 1) / 2
            guard timers[parent].at > timer.at else { break }
            timers[i] = timers[parent]
            i = parent
        }
        timers[i] = timer
    }

    /// Removes and returns the earliest timer; the heap must not be empty.
    mutating func pop() -> Timer {
        let top = timers[0]
        let last = timers[timers.count - 1]
        timers.removeLast()
        let n = timers.count
        guard n > 0 else { return top }
        var i = 0
        while true {
            let left = 2 * i + 1
            guard left < n else { break }
            let child = left + 1 < n && timers[left + 1].at < timers[left].at ? left + 1 : left
            guard timers[child].at < last.at else { break }
            timers[i] = timers[child]
            i = child
        }
        timers[i] = last
        return top
    }
}
