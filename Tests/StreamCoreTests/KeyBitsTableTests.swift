import Testing
@testable import StreamCore

/// Rule memory keeps which rules tripped per (key, window) in these tables; a lost or stale entry
/// would raise an alert twice or never.
@Suite struct KeyBitsTableTests {
    @Test func keepsTheLatestBitsPerKeyAcrossGrowthAndTreatsZeroAsAbsent() {
        var table = KeyBitsTable()
        for key in Int32(0)..<1_000 { table.set(key, UInt64(key) * 3 + 1) }
        for key in Int32(0)..<1_000 where key % 2 == 0 { table.set(key, 0) }
        table.set(7, 1 << 40)
        table.set(5_000, 0)
        for key in Int32(0)..<1_000 {
            let expected: UInt64 = key == 7 ? 1 << 40 : key % 2 == 0 ? 0 : UInt64(key) * 3 + 1
            #expect(table.bits(of: key) == expected)
        }
        #expect(table.bits(of: 5_000) == 0)
        var seen: [Int32: UInt64] = [:]
        table.forEach { seen[$0] = $1 }
        #expect(seen.count == 500)
        #expect(seen[7] == 1 << 40)
        #expect(seen[8] == nil)
    }
}
