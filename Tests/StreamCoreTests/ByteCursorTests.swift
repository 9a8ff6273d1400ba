import Testing
@testable import StreamCore

/// The cursor writes result envelopes; it must produce exactly the bytes `JSONWriter` would.
@Suite struct ByteCursorTests {
    private func viaCursor(maxCount: Int, _ body: (inout ByteCursor) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 0)
        w.appendBounded(maxCount: maxCount, body)
        return w.bytes
    }

    @Test func escapedKeysMatchTheWriter() {
        let keys: [[UInt8]] = [Array("C000123".utf8), [], Array("a\"b\\c".utf8), [0x00, 0x1F, 0x0A, 0x41],
                               Array("ünïcödé".utf8), Array(repeating: 0x01, count: 40),
                               Array("abcdefghij\"k".utf8), Array("ÀÀÀÀÀÀÀÀ\u{1}ÀÀ\\".utf8), Array("C0001234567890123".utf8)]
        for key in keys {
            var w = JSONWriter()
            key.withUnsafeBytes { w.escapedContent(bytes: $0) }
            let cursor = viaCursor(maxCount: ByteCursor.escapedBound(key.count)) { c in
                key.withUnsafeBytes { c.putEscaped($0) }
            }
            #expect(cursor == w.bytes)
        }
    }

    @Test func integersAndTimestampsMatchTheWriter() {
        for v: Int64 in [0, 7, 9, 10, 99, 100, 101, -1, -10, 1_762_250_400_000, Int64.max, Int64.min] {
            var w = JSONWriter()
            w.int(v)
            #expect(viaCursor(maxCount: ByteCursor.intBound + 1) { $0.putInt(v) } == w.bytes)
        }
        for ms: Int64 in [0, 1_762_250_700_000, -62_135_596_800_001, 253_402_300_800_000, Int64.max, Int64.min] {
            var w = JSONWriter()
            w.timestamp(millis: ms)
            var other = JSONWriter()
            let text = other.formattedTimestamp(ms)
            #expect(viaCursor(maxCount: ByteCursor.timestampBound) { $0.putQuoted(text) } == w.bytes)
        }
    }

    @Test func doublesMatchTheWriterWithinTheirBound() {
        let values: [Double] = [0, -0.0, 51, 12.75, 0.1, 1e-5, 1e21, -2.2250738585072014e-308,
                                -1.7976931348623157e308, 5e-324, 9_007_199_254_740_993, 123_456.78,
                                .nan, .infinity, -.infinity]
        for v in values {
            var w = JSONWriter()
            w.double(v)
            #expect(viaCursor(maxCount: ByteCursor.doubleBound) { $0.putDouble(v) } == w.bytes, "\(v)")
        }
    }

    @Test func repeatsWhatItWrote() {
        let bytes = viaCursor(maxCount: 64) { c in
            c.put(UInt8(ascii: "["))
            let at = c.count
            Array("a\"b".utf8).withUnsafeBytes { c.putEscaped($0) }
            c.putAgain(from: at, count: c.count - at)
        }
        #expect(bytes == Array("[a\\\"ba\\\"b".utf8))
    }
}
