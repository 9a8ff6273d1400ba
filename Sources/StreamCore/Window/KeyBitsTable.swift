/// Key id -> 64 bits, by open addressing over two arrays: rule memory looks up two of these per
/// result, where a `Dictionary` spent most of its time hashing. Zero means absent; an entry set
/// back to zero keeps its slot until the table is dropped with its window.
struct KeyBitsTable: Sendable {
    private var keys: [Int32]
    private var values: [UInt64]
    private var mask: Int
    private var used = 0

    init() {
        keys = [Int32](repeating: -1, count: 16)
        values = [UInt64](repeating: 0, count: 16)
        mask = 15
    }

    @inline(__always)
    private func slot(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func bits(of key: Int32) -> UInt64 {
        var s = slot(key)
        while true {
            let k = keys[s]
            if k == key { return values[s] }
            if k == -1 { return 0 }
            s = (s + 1) & mask
        }
    }

    mutating func set(_ key: Int32, _ bits: UInt64) {
        var s = slot(key)
        while true {
            let k = keys[s]
            if k == key {
                values[s] = bits
                return
            }
            if k == -1 { break }
            s = (s + 1) & mask
        }
        if bits == 0 { return }
        keys[s] = key
        values[s] = bits
        used += 1
        if used * 2 > keys.count { grow() }
    }

    /// Every key whose bits are not zero, in no particular order.
    func forEach(_ body: (Int32, UInt64) throws -> Void) rethrows {
        for s in keys.indices where keys[s] != -1 && values[s] != 0 { try body(keys[s], values[s]) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [Int32](repeating: -1, count: oldKeys.count * 2)
        values = [UInt64](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        used = 0
        for s in oldKeys.indices where oldKeys[s] != -1 && oldValues[s] != 0 { set(oldKeys[s], oldValues[s]) }
    }
}
