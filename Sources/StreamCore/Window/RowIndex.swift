/// Key id -> row of one window: open addressing sized to the window's rows, not to all keys the
/// task ever saw, so memory follows what is in RAM.
struct RowIndex: Sendable {
    private var keys: [Int32]
    private var rows: [Int32]
    private var mask: Int
    private(set) var count = 0

    init() {
        keys = [Int32](repeating: -1, count: 16)
        rows = [Int32](repeating: 0, count: 16)
        mask = 15
    }

    @inline(__always)
    private func slot(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func row(of key: Int32) -> Int? {
        var s = slot(key)
        while true {
            let k = keys[s]
            if k == key { return Int(rows[s]) }
            if k == -1 { return nil }
            s = (s + 1) & mask
        }
    }

    /// Adds a key known to be absent.
    @inline(__always)
    mutating func insert(_ key: Int32, row: Int) {
        if (count + 1) * 2 > keys.count { grow() }
        var s = slot(key)
        while keys[s] != -1 { s = (s + 1) & mask }
        keys[s] = key
        rows[s] = Int32(row)
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldRows = rows
        keys = [Int32](repeating: -1, count: oldKeys.count * 2)
        rows = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for i in 0..<oldKeys.count where oldKeys[i] != -1 { insert(oldKeys[i], row: Int(oldRows[i])) }
    }
}
