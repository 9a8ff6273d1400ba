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
                               Array("ünïcödé".utf8), Array(repeating: 0x01, count: 40)]
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
        for v: Int64 in [0, 7, -1, 1_762_250_400_000, Int64.max, Int64.min] {
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
}
