/// The counts of one countBy once its list grew long (a distinct count of bidders or users):
/// an open-addressing table of (value id, count), so a record adds in constant time however many
/// values the row already holds. Owned and freed by `CountByArena`; confined to the task's thread.
struct CountTable {
    private static let empty: Int32 = -1

    private var ids: UnsafeMutablePointer<Int32>
    private var counts: UnsafeMutablePointer<Int64>
    /// log2 of the capacity.
    private var bits: Int
    /// Values with a slot.
    private(set) var count = 0

    /// A table that holds `values` without growing.
    init(values: Int) {
        bits = 4
        while (1 << bits) < values * 2 { bits += 1 }
        ids = .allocate(capacity: 1 << bits)
        ids.initialize(repeating: Self.empty, count: 1 << bits)
        counts = .allocate(capacity: 1 << bits)
    }

    func deallocate() {
        ids.deallocate()
        counts.deallocate()
    }

    /// Value ids are dense small integers: a multiplicative hash spreads them over the slots.
    @inline(__always)
    private func home(of id: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: id)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    @inline(__always)
    mutating func add(_ id: Int32, by: Int64) {
        let mask = (1 << bits) - 1
        var i = home(of: id)
        while true {
            let held = ids[i]
            if held == id {
                counts[i] += by
                return
            }
            if held == Self.empty { break }
            i = (i + 1) & mask
        }
        if (count + 1) * 2 > 1 << bits {
            grow()
            add(id, by: by)
            return
        }
        ids[i] = id
        counts[i] = by
        count += 1
    }

    func count(of id: Int32) -> Int64 {
        let mask = (1 << bits) - 1
        var i = home(of: id)
        while ids[i] != Self.empty {
            if ids[i] == id { return counts[i] }
            i = (i + 1) & mask
        }
        return 0
    }

    /// Visits every (value id, count), in slot order.
    func forEach(_ body: (Int32, Int64) throws -> Void) rethrows {
        for i in 0..<(1 << bits) where ids[i] != Self.empty { try body(ids[i], counts[i]) }
    }

    private mutating func grow() {
        var grown = CountTable(values: count * 2)
        forEach { grown.add($0, by: $1) }
        deallocate()
        self = grown
    }
}
