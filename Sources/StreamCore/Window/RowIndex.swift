import CPrefetch

/// Key id -> row of one window: open addressing sized to the window's rows, not to all keys the
/// task ever saw, so memory follows what is in RAM. Each slot packs key and row in one word, so
/// a probe touches one cache line; raw memory, so a probe pays no bounds or uniqueness check.
struct RowIndex: ~Copyable {
    private static let empty = UInt64.max
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private(set) var count = 0

    init() {
        slots = .allocate(capacity: 16)
        slots.initialize(repeating: Self.empty, count: 16)
        mask = 15
    }

    deinit { slots.deallocate() }

    @inline(__always)
    private func slot(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func row(of key: Int32) -> Int? {
        var s = slot(key)
        let tag = UInt64(UInt32(bitPattern: key))
        while true {
            let entry = slots[s]
            if entry & 0xFFFF_FFFF == tag && entry != Self.empty { return Int(entry >> 32) }
            if entry == Self.empty { return nil }
            s = (s + 1) & mask
        }
    }

    /// Starts loading the slot where a probe for `key` begins.
    @inline(__always)
    func prefetchSlot(of key: Int32) {
        stream_prefetch(slots + slot(key))
    }

    /// Adds a key known to be absent.
    @inline(__always)
    mutating func insert(_ key: Int32, row: Int) {
        if (count + 1) * 2 > mask + 1 { grow() }
        var s = slot(key)
        while slots[s] != Self.empty { s = (s + 1) & mask }
        slots[s] = UInt64(UInt32(truncatingIfNeeded: row)) << 32 | UInt64(UInt32(bitPattern: key))
        count += 1
    }

    private mutating func grow() {
        let old = slots, oldCapacity = mask + 1
        slots = HugePageMemory.allocate(UInt64.self, capacity: oldCapacity * 2)
        slots.initialize(repeating: Self.empty, count: oldCapacity * 2)
        mask = oldCapacity * 2 - 1
        count = 0
        for i in 0..<oldCapacity where old[i] != Self.empty {
            insert(Int32(bitPattern: UInt32(truncatingIfNeeded: old[i])), row: Int(old[i] >> 32))
        }
        old.deallocate()
    }
}
