import Testing
@testable import StreamCore

/// KeyTable's byte order decides the order of a firing's rows, so it must be plain unsigned
/// lexicographic order whatever the keys' lengths and shared prefixes.
@Suite struct KeyTableTests {
    @Test func lessThanIsUnsignedLexicographicOrder() {
        let keys: [[UInt8]] = [
            Array("C000123".utf8), Array("C000124".utf8), Array("C00012".utf8), Array("C0001230".utf8),
            Array("C000123\u{0}".utf8), Array("customer-000001".utf8), Array("customer-000002".utf8),
            Array("customer-00000".utf8), [], [0], [0, 0], [0xFF], [0x7F, 0xFF], Array("é".utf8),
        ]
        var table = KeyTable(capacity: 4)
        let ids = keys.map { key in key.withUnsafeBytes { table.intern($0) } }
        for (i, a) in keys.enumerated() {
            for (j, b) in keys.enumerated() {
                #expect(table.lessThan(ids[i], ids[j]) == a.lexicographicallyPrecedes(b), "\(a) < \(b)")
            }
        }
    }

    @Test func internReturnsTheSameIdForKnownKeysAcrossGrowth() {
        var table = KeyTable(capacity: 2)
        let keys = (0..<1000).map { Array("C\($0)".utf8) }
        let first = keys.map { key in key.withUnsafeBytes { table.intern($0) } }
        let again = keys.map { key in key.withUnsafeBytes { table.intern($0) } }
        #expect(first == again)
        #expect(table.count == 1000)
        #expect(table.withKey(first[999]) { Array($0) } == keys[999])
    }

    /// A table is a value: interning into one copy leaves the other as it was.
    @Test func aCopyKeepsItsKeysWhileTheOriginalInternsMore() {
        var table = KeyTable(capacity: 2)
        let first = Array("C1".utf8)
        let id = first.withUnsafeBytes { table.intern($0) }
        let copy = table
        for i in 0..<100 { _ = Array("D\(i)".utf8).withUnsafeBytes { table.intern($0) } }
        #expect(copy.count == 1)
        #expect(table.count == 101)
        #expect(Array("D5".utf8).withUnsafeBytes { copy.lookup($0) } == nil)
        #expect(copy.withKey(id) { Array($0) } == first)
    }

    /// Hashing and comparison read keys a word at a time: keys of every length up to 20 that
    /// differ in a single byte, at any position, must get distinct ids, and each its own id again.
    @Test func keysDifferingInOneByteAtAnyPositionAreDistinct() {
        var keys: [[UInt8]] = []
        for length in 0...20 {
            let base = (0..<length).map { UInt8(0x41 + $0) }
            keys.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] ^= 0x20
                keys.append(changed)
            }
        }
        var table = KeyTable(capacity: 4)
        let ids = keys.map { key in key.withUnsafeBytes { table.intern($0) } }
        #expect(Set(ids).count == keys.count)
        for (key, id) in zip(keys, ids) {
            #expect(key.withUnsafeBytes { table.intern($0) } == id)
            #expect(key.withUnsafeBytes { table.lookup($0) } == id)
            #expect(table.withKey(id) { Array($0) } == key)
        }
    }
}
