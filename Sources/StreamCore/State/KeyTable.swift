import CPrefetch

/// Interns byte strings (grouping keys, countBy values) to dense `Int32` ids so the hot path
/// indexes arrays instead of hashing strings per window. Open addressing over one byte arena:
/// interning an already-known key allocates nothing.
///
/// A value type over shared storage, copied on write. With a million keys its columns are read at
/// random places, a record's key each time: they live in `HugePageMemory`, and
/// `WindowOperator.prefetchState` loads a key's slot and entry records ahead.
public struct KeyTable: Sendable {
    private var storage: KeyTableStorage

    public init(capacity: Int = 1024) {
        storage = KeyTableStorage(capacity: capacity)
    }

    public var count: Int { storage.count }

    /// Id of `key`, adding it when new.
    @inline(__always)
    public mutating func intern(_ key: UnsafeRawBufferPointer) -> Int32 {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.intern(key)
    }

    /// Id of `key` if it was interned.
    public func lookup(_ key: UnsafeRawBufferPointer) -> Int32? {
        storage.lookup(key)
    }

    public func withKey<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(storage.key(id))
    }

    /// `withKey` for a table that is a class's stored property: a mutating call reaches the table in
    /// place, where a read copies it around the closure (a retain and release of its storage).
    /// `body` must not touch the table.
    @inline(__always)
    public mutating func withKeyInPlace<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(storage.key(id))
    }

    /// Starts loading where key `id` lies in the arena (`prefetchKey` then finds it cached).
    /// Mutating for the reason `withKeyInPlace` is.
    @inline(__always)
    mutating func prefetchBounds(of id: Int32) {
        storage.starts.prefetch(Int(id))
    }

    /// Starts loading the first bytes of key `id`.
    @inline(__always)
    mutating func prefetchKey(_ id: Int32) {
        storage.arena.prefetch(storage.starts[Int(id)])
    }

    /// Starts loading the slot where a probe for a key of hash `h` (`KeyTable.hash`) begins.
    @inline(__always)
    mutating func prefetchSlot(ofHash h: UInt64) {
        storage.slots.prefetch(Int(truncatingIfNeeded: h) & storage.mask)
    }

    /// The id in the slot where a probe for hash `h` begins, or -1 when it is empty: the key's own
    /// id unless another key took that slot first. A guess to prefetch by, never an answer.
    @inline(__always)
    mutating func firstCandidate(ofHash h: UInt64) -> Int32 {
        storage.slots[Int(truncatingIfNeeded: h) & storage.mask] - 1
    }

    /// Starts loading the hash and the bounds of key `id`, which `intern` compares.
    @inline(__always)
    mutating func prefetchEntry(_ id: Int32) {
        storage.hashes.prefetch(Int(id))
        prefetchBounds(of: id)
    }

    /// Orders two ids by their key bytes (unsigned lexicographic): the canonical order of output.
    @inline(__always)
    public func lessThan(_ a: Int32, _ b: Int32) -> Bool {
        let pa = storage.orderPrefixes[Int(a)], pb = storage.orderPrefixes[Int(b)]
        if pa != pb { return pa < pb }
        return lessThanPastPrefix(a, b)
    }

    /// `orderPrefix` of the key `id`: ids in increasing prefix order are in key byte order, up to ties.
    @inline(__always)
    public func orderPrefix(of id: Int32) -> UInt64 { storage.orderPrefixes[Int(id)] }

    /// `lessThan` for keys whose first 8 bytes (zero-padded) are equal.
    func lessThanPastPrefix(_ a: Int32, _ b: Int32) -> Bool {
        let ka = storage.key(a), kb = storage.key(b)
        for i in 0..<min(ka.count, kb.count) where ka[i] != kb[i] { return ka[i] < kb[i] }
        return ka.count < kb.count
    }

    /// Equality of two byte strings of the same length, a word at a time (the last word overlaps
    /// the one before it rather than reading past the end).
    @inline(__always)
    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = a.count
        if n < 8 { return n == 0 || tail(a) == tail(b) }
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        return i == n || a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }

    /// The bytes of a string shorter than 8 as one word, without a byte loop: two overlapping
    /// 4-byte loads from 4 bytes on, else two overlapping 2-byte loads and the last byte. Two
    /// strings of the same length have equal words exactly when their bytes are equal.
    @inline(__always)
    static func tail(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        if n >= 4 {
            return UInt64(key.loadUnaligned(as: UInt32.self)) << 32
                | UInt64(key.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        }
        if n >= 2 {
            return UInt64(key.loadUnaligned(as: UInt16.self)) << 16
                | UInt64(key.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self))
        }
        return n == 1 ? UInt64(key[0]) : 0
    }

    /// Big-endian first 8 bytes, zero-padded: unsigned order of these words is the byte order of the
    /// prefixes. A shorter key padded with zeros ties with a longer one that continues with zeros; the
    /// full comparison then decides.
    @inline(__always)
    static func orderPrefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<min(key.count, 8) { v |= UInt64(key[i]) << (56 - 8 * UInt64(i)) }
        return v
    }

    /// 64-bit hash of a short byte string, 8 bytes at a time.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        // The last bytes: an overlapping word when there were whole words, else the short form.
        let last = i == key.count ? 0
            : key.count >= 8 ? key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self) : tail(key)
        h = (h ^ last) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }
}

/// The columns of a `KeyTable`. Confined to one owner at a time (the table copies it before
/// changing a shared one), so its columns skip exclusivity and uniqueness checks.
final class KeyTableStorage: @unchecked Sendable {
    /// Every key's bytes, back to back: key `i` is `arena[starts[i] ..< starts[i + 1]]`.
    @exclusivity(unchecked) var arena: StateColumn<UInt8>
    @exclusivity(unchecked) var starts: StateColumn<Int>
    @exclusivity(unchecked) var hashes: StateColumn<UInt64>
    /// First 8 bytes of each key, big-endian and zero-padded: comparing two decides the byte order of
    /// keys that differ there (ids like `C000123` always do) without touching the arena.
    @exclusivity(unchecked) var orderPrefixes: StateColumn<UInt64>
    /// Slot -> id + 1; 0 marks an empty slot.
    @exclusivity(unchecked) var slots: StateColumn<Int32>
    @exclusivity(unchecked) var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = StateColumn(repeating: 0, count: size)
        mask = size - 1
        arena = StateColumn()
        starts = StateColumn()
        starts.append(0)
        hashes = StateColumn()
        orderPrefixes = StateColumn()
    }

    private init(copying other: KeyTableStorage) {
        arena = StateColumn(copying: other.arena)
        starts = StateColumn(copying: other.starts)
        hashes = StateColumn(copying: other.hashes)
        orderPrefixes = StateColumn(copying: other.orderPrefixes)
        slots = StateColumn(copying: other.slots)
        mask = other.mask
    }

    func copy() -> KeyTableStorage { KeyTableStorage(copying: self) }

    var count: Int { hashes.count }

    @inline(__always)
    func key(_ id: Int32) -> UnsafeRawBufferPointer {
        let lo = starts[Int(id)], hi = starts[Int(id) + 1]
        return UnsafeRawBufferPointer(start: arena.pointer(to: lo), count: hi - lo)
    }

    @inline(__always)
    func intern(_ key: UnsafeRawBufferPointer) -> Int32 {
        let h = KeyTable.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        if key.count > 0 { arena.append(contentsOf: key.assumingMemoryBound(to: UInt8.self)) }
        starts.append(arena.count)
        hashes.append(h)
        orderPrefixes.append(KeyTable.orderPrefix(key))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    func lookup(_ key: UnsafeRawBufferPointer) -> Int32? {
        let h = KeyTable.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let stored = self.key(Int32(id))
        return stored.count == key.count && KeyTable.bytesEqual(stored, key)
    }

    private func grow() {
        let size = slots.count * 2
        slots = StateColumn(repeating: 0, count: size)
        mask = size - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
