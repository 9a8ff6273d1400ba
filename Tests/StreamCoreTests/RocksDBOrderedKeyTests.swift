import Testing
@testable import StreamCore

@Suite struct RocksDBOrderedKeyTests {
    private static func lexicallyLess(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    @Test("encoded Int64 values sort lexically in numeric order, negatives first, and decode back")
    func int64Order() {
        let values: [Int64] = [.min, -1_000_000, -256, -1, 0, 1, 255, 256, 1 << 40, .max]
        let encoded = values.map { v -> [UInt8] in var k: [UInt8] = []; OrderedKey.append(v, to: &k); return k }
        #expect(encoded.shuffled().sorted(by: Self.lexicallyLess) == encoded)
        for (v, k) in zip(values, encoded) {
            #expect(k.count == 8)
            #expect(k.withUnsafeBytes { OrderedKey.readInt64($0, at: 0) } == v)
        }
    }

    @Test("encoded Int32 and UInt32 values sort lexically in numeric order and decode back")
    func int32Order() {
        let signed: [Int32] = [.min, -70_000, -1, 0, 1, 70_000, .max]
        let signedKeys = signed.map { v -> [UInt8] in var k: [UInt8] = []; OrderedKey.append(v, to: &k); return k }
        #expect(signedKeys.shuffled().sorted(by: Self.lexicallyLess) == signedKeys)
        for (v, k) in zip(signed, signedKeys) { #expect(k.withUnsafeBytes { OrderedKey.readInt32($0, at: 0) } == v) }

        let unsigned: [UInt32] = [0, 1, 255, 256, 65_536, .max]
        let unsignedKeys = unsigned.map { v -> [UInt8] in var k: [UInt8] = []; OrderedKey.append(v, to: &k); return k }
        #expect(unsignedKeys.shuffled().sorted(by: Self.lexicallyLess) == unsignedKeys)
        for (v, k) in zip(unsigned, unsignedKeys) { #expect(k.withUnsafeBytes { OrderedKey.readUInt32($0, at: 0) } == v) }
    }

    @Test("composite keys (UInt32 group, Int64 time, raw bytes) sort by group, then time, then bytes")
    func compositeOrder() {
        func key(_ group: UInt32, _ time: Int64, _ tail: [UInt8]) -> [UInt8] {
            var k: [UInt8] = []
            OrderedKey.append(group, to: &k)
            OrderedKey.append(time, to: &k)
            tail.withUnsafeBytes { OrderedKey.append($0, to: &k) }
            return k
        }
        let ordered = [key(0, -5, [9]), key(0, 3, [1]), key(0, 3, [2]), key(1, .min, []), key(1, 0, [0])]
        #expect(ordered.shuffled().sorted(by: Self.lexicallyLess) == ordered)
        #expect(ordered[1].withUnsafeBytes { OrderedKey.readInt64($0, at: 4) } == 3)
        #expect(ordered[3].withUnsafeBytes { OrderedKey.readUInt32($0, at: 0) } == 1)
    }
}
