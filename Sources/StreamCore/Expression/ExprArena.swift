/// Scratch memory for one record's evaluations, owned by one task thread (non-copyable, so it is
/// never shared by accident; it may move to another thread with its owner).
///
/// Bytes: strings that expressions make (LOWER, CONCAT, casts...) live here until `reset()`. When a
/// block fills up, a bigger one is chained and the full one kept, so earlier views stay valid within
/// the record; `reset()` coalesces the chain into one block of the total size, so after the largest
/// record so far nothing is allocated again.
///
/// Work space: the value stack and regex thread lists of one evaluation, sized by the expression.
public struct ExprArena: ~Copyable, @unchecked Sendable {
    private var block: UnsafeMutableRawPointer
    private var blockCapacity: Int
    private var used = 0
    /// Full blocks of the current record, freed on reset.
    private var retired: [UnsafeMutableRawPointer] = []
    private var retiredCapacity = 0

    private var work: UnsafeMutableRawPointer?
    private var workCapacity = 0

    public init(capacity: Int = 4096) {
        blockCapacity = max(64, capacity)
        block = .allocate(byteCount: blockCapacity, alignment: 16)
    }

    deinit {
        block.deallocate()
        for old in retired { old.deallocate() }
        work?.deallocate()
    }

    /// Bytes for strings: the current block's size plus any chained this record.
    public var capacity: Int { blockCapacity + retiredCapacity }

    /// Bytes handed out since the last reset.
    public var bytesUsed: Int { used + retiredCapacity }

    /// Forgets every string made since the last reset (their views become invalid).
    public mutating func reset() {
        used = 0
        guard !retired.isEmpty else { return }
        for old in retired { old.deallocate() }
        retired.removeAll(keepingCapacity: true)
        block.deallocate()
        blockCapacity += retiredCapacity
        retiredCapacity = 0
        block = .allocate(byteCount: blockCapacity, alignment: 16)
    }

    /// `count` bytes valid until the next `reset()`.
    @inline(__always)
    mutating func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        if used + count > blockCapacity { chain(count) }
        let start = block + used
        used += count
        return start
    }

    /// Gives back the tail of the last allocation (a string came out shorter than reserved).
    @inline(__always)
    mutating func shrinkLast(by count: Int) { used -= count }

    private mutating func chain(_ count: Int) {
        retired.append(block)
        retiredCapacity += blockCapacity
        blockCapacity = max(count, blockCapacity * 2)
        block = .allocate(byteCount: blockCapacity, alignment: 16)
        used = 0
    }

    /// Work space of at least `bytes` for one evaluation; its contents do not survive the next call.
    @inline(__always)
    mutating func workSpace(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > workCapacity { growWork(bytes) }
        return work.unsafelyUnwrapped
    }

    private mutating func growWork(_ bytes: Int) {
        work?.deallocate()
        workCapacity = bytes
        work = .allocate(byteCount: bytes, alignment: 16)
    }
}
