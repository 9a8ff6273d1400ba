import CPrefetch

/// A growable column of plain values owned by one window or key table: `Array` without
/// copy-on-write, in `HugePageMemory` once large.
///
/// Window state is updated ten times per record by a sliding job; an `Array` stored in a class
/// pays a uniqueness check on every write and a retain per access. A column is confined to its
/// task's thread, copied only explicitly (noncopyable), and frees its memory with its owner.
struct StateColumn<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 8) {
        self.capacity = max(capacity, 1)
        base = HugePageMemory.allocate(Element.self, capacity: self.capacity)
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    /// A column with the same values as `other`.
    init(copying other: borrowing StateColumn<Element>) {
        self.init(capacity: other.capacity)
        base.update(from: other.base, count: other.count)
        count = other.count
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

    /// Where element `i` lies (`i == count`: just past the last), valid until the column grows.
    @inline(__always)
    func pointer(to i: Int) -> UnsafePointer<Element> {
        assert(i >= 0 && i <= count, "state column index out of range")
        return UnsafePointer(base + i)
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
        let grown = HugePageMemory.allocate(Element.self, capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
