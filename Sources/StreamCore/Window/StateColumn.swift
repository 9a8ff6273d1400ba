import CPrefetch

/// A growable column of plain values owned by one window: `Array` without copy-on-write.
///
/// Window state is updated ten times per record by a sliding job; an `Array` stored in a class
/// pays a uniqueness check on every write and a retain per access. A column is confined to its
/// task's thread, never copied (noncopyable), and frees its memory with its owner.
struct StateColumn<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 8) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    subscript(i: Int) -> Element {
        @inline(__always) get {
            assert(i >= 0 && i < count, "state column index out of range")
            return base[i]
        }
        @inline(__always) nonmutating set {
            assert(i >= 0 && i < count, "state column index out of range")
            base[i] = newValue
        }
    }

    /// Starts loading element `i` into the cache, for an access a few iterations ahead.
    @inline(__always)
    func prefetch(_ i: Int) { stream_prefetch(base + i) }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = value
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        if count + values.count > capacity { grow(to: count + values.count) }
        (base + count).update(from: values.baseAddress!, count: values.count)
        count += values.count
    }

    @inline(__always)
    mutating func removeLast() {
        assert(count > 0, "state column is empty")
        count -= 1
    }

    /// Overwrites the values from `i` on with `values`.
    @inline(__always)
    func update(at i: Int, from values: UnsafeBufferPointer<Element>) {
        assert(i >= 0 && i + values.count <= count, "state column range out of range")
        (base + i).update(from: values.baseAddress!, count: values.count)
    }

    /// Forgets the values, keeping the memory.
    mutating func removeAll() { count = 0 }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
