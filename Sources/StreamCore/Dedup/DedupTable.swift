/// The live entries of one dedup step: each key value's bytes and the event time of the record
/// that created its entry. Open addressing with linear probing over entry ids; the entries in flat
/// columns and their key bytes back to back in one arena, so an insert copies the key's bytes and
/// allocates only when a column grows (amortized), and a lookup allocates nothing.
///
/// A removed entry's probe run is shifted back (no tombstones) and its id is reused. Its bytes stay
/// in the arena until dead bytes outnumber live ones; then the arena is rewritten with the live
/// keys only, so memory follows the entries live at once, not every key ever seen.
struct DedupTable: ~Copyable {
    private var arena = StateColumn<UInt8>()
    /// Per entry id: where its key starts in the arena, its length (-1: a free id), its hash.
    private var starts = StateColumn<Int>()
    private var lengths = StateColumn<Int32>()
    private var hashes = StateColumn<UInt64>()
    /// Per entry id: the event time of the record that created it.
    private(set) var eventTimes = StateColumn<Int64>()
    private var freeIds = StateColumn<Int32>()
    /// Slot -> id + 1; 0 marks an empty slot.
    private var slots = StateColumn<Int32>(repeating: 0, count: 1024)
    private var mask = 1023
    /// Live entries.
    private(set) var count = 0
    private var deadBytes = 0

    /// The arena is compacted only past this size: below it, rewriting costs more than it frees.
    static let compactionFloor = 1 << 16

    /// The id of `key`'s entry, or a new entry for it with event time `t` (`inserted`).
    @inline(__always)
    mutating func findOrInsert(_ key: UnsafeRawBufferPointer, eventTime t: Int64) -> (id: Int32, inserted: Bool) {
        let h = KeyTable.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && Int(lengths[id]) == key.count && KeyTable.bytesEqual(self.key(id), key) {
                return (entry - 1, false)
            }
            slot = (slot + 1) & mask
        }
        let id = newId(key, hash: h, eventTime: t)
        slots[slot] = id + 1
        count += 1
        if count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// The id of `key`'s entry, if it has one.
    func find(_ key: UnsafeRawBufferPointer) -> Int32? {
        let h = KeyTable.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == h && Int(lengths[id]) == key.count && KeyTable.bytesEqual(self.key(id), key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// The key bytes of a live entry, valid until the table changes.
    @inline(__always)
    func key(_ id: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena.pointer(to: starts[id]), count: Int(lengths[id]))
    }

    func isLive(_ id: Int32) -> Bool { Int(id) < lengths.count && lengths[Int(id)] >= 0 }

    /// Removes a live entry: its slot's run is shifted back over it, its id freed.
    mutating func remove(_ id: Int32) {
        var hole = Int(truncatingIfNeeded: hashes[Int(id)]) & mask
        while slots[hole] != id + 1 { hole = (hole + 1) & mask }
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: hashes[Int(slots[next] - 1)]) & mask
            // The entry at `next` may fill the hole when its probe starts at or before the hole.
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        deadBytes += Int(lengths[Int(id)])
        lengths[Int(id)] = -1
        freeIds.append(id)
        count -= 1
        if deadBytes > Self.compactionFloor && deadBytes > arena.count / 2 { compact() }
    }

    private mutating func newId(_ key: UnsafeRawBufferPointer, hash h: UInt64, eventTime t: Int64) -> Int32 {
        let start = arena.count
        if key.count > 0 { arena.append(contentsOf: key.assumingMemoryBound(to: UInt8.self)) }
        if freeIds.count > 0 {
            let id = freeIds[freeIds.count - 1]
            freeIds.removeLast()
            starts[Int(id)] = start
            lengths[Int(id)] = Int32(key.count)
            hashes[Int(id)] = h
            eventTimes[Int(id)] = t
            return id
        }
        starts.append(start)
        lengths.append(Int32(key.count))
        hashes.append(h)
        eventTimes.append(t)
        return Int32(lengths.count - 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = StateColumn(repeating: 0, count: size)
        mask = size - 1
        for id in 0..<lengths.count where lengths[id] >= 0 {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// Rewrites the arena with the live entries' keys only.
    private mutating func compact() {
        var live = StateColumn<UInt8>(capacity: max(arena.count - deadBytes, 1))
        for id in 0..<lengths.count where lengths[id] >= 0 {
            let bytes = key(id)
            starts[id] = live.count
            if bytes.count > 0 { live.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self)) }
        }
        arena = live
        deadBytes = 0
    }
}
