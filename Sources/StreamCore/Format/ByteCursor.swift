/// Writes one output record's pieces straight into capacity `JSONWriter.appendBounded` reserved,
/// so the record costs one capacity check instead of one `Array.append` (~85 instructions) per
/// piece. Every write checks the reservation: a wrong bound traps instead of corrupting memory.
struct ByteCursor {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Most bytes `putEscaped` writes for `n` input bytes: a control byte becomes `\u00XX`.
    static func escapedBound(_ n: Int) -> Int { 6 * n }
    /// Most bytes `putInt` writes.
    static let intBound = 20
    /// Most bytes `putQuoted(_: TimestampText)` writes.
    static let timestampBound = 34
    /// Most bytes `putDouble` writes (`-2.2250738585072014e-308` is 24).
    static let doubleBound = 32

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        precondition(count < capacity, "ByteCursor: record larger than its bound")
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        precondition(capacity - count >= bytes.count, "ByteCursor: record larger than its bound")
        guard let source = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { put($0) }
    }

    /// `bytes` JSON-escaped, without quotes (valid UTF-8 in; see `JSONWriter.escapedContent`).
    /// Keys and values rarely need escapes: the bytes are checked 8 at a time and copied at once.
    mutating func putEscaped(_ bytes: UnsafeRawBufferPointer) {
        let plain = JSONEscape.plainPrefix(bytes)
        put(UnsafeRawBufferPointer(rebasing: bytes[..<plain]))
        guard plain < bytes.count else { return }
        var runStart = plain
        for i in plain..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            put(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
            runStart = i + 1
            JSONEscape.forEachByte(escaping: b) { put($0) }
        }
        put(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }

    /// Repeats `count` bytes this cursor already wrote at `offset` (a key written three times is
    /// escaped once).
    @inline(__always)
    mutating func putAgain(from offset: Int, count n: Int) {
        precondition(offset >= 0 && offset + n <= count && capacity - count >= n, "ByteCursor: bad repeat")
        (base + count).update(from: base + offset, count: n)
        count += n
    }

    /// A timestamp in quotes.
    mutating func putQuoted(_ time: TimestampText) {
        put(UInt8(ascii: "\""))
        time.withBytes { put($0) }
        put(UInt8(ascii: "\""))
    }

    mutating func putInt(_ v: Int64) {
        if v >= 0 && v < 10 {
            put(UInt8(truncatingIfNeeded: v) &+ 0x30)
            return
        }
        if v < 0 { put(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &digits) { JSONEscape.decimal(v.magnitude, into: $0) }
        withUnsafeBytes(of: digits) { put(UnsafeRawBufferPointer(rebasing: $0[(24 - n)...])) }
    }
}

extension ByteCursor {
    /// The same text as `JSONWriter.double`: shortest round-trip digits, `null` when not finite.
    mutating func putDouble(_ v: Double) {
        guard v.isFinite else { return put(StaticString("null")) }
        if DoubleText.withShort(v, { put($0) }) { return }
        // The standard library's formatter hands its ASCII from a stack buffer to the sink.
        var sink = CursorSink(cursor: self)
        v.write(to: &sink)
        self = sink.cursor
    }

    mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { put(UnsafeRawBufferPointer($0)) }
    }
}

/// A `TextOutputStream` writing into a cursor, so the standard library's number formatting fills
/// the reservation directly.
private struct CursorSink: TextOutputStream {
    var cursor: ByteCursor

    mutating func write(_ string: String) {
        for b in string.utf8 { cursor.put(b) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        cursor.put(UnsafeRawBufferPointer(buffer))
    }
}

/// Escapes and digits shared by `JSONWriter` and `ByteCursor`.
enum JSONEscape {
    /// Emits the escape sequence of a byte that needs one (quote, backslash, control byte).
    @inline(__always)
    static func forEachByte(escaping b: UInt8, _ emit: (UInt8) -> Void) {
        emit(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): emit(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): emit(UInt8(ascii: "\\"))
        case 0x0A: emit(UInt8(ascii: "n"))
        case 0x0D: emit(UInt8(ascii: "r"))
        case 0x09: emit(UInt8(ascii: "t"))
        case 0x08: emit(UInt8(ascii: "b"))
        case 0x0C: emit(UInt8(ascii: "f"))
        default:
            for c in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(b >> 4), hexDigit(b & 0xF)] { emit(c) }
        }
    }

    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? v &+ 0x30 : v &+ (0x61 - 10)
    }

    /// How many leading bytes need no escape in a JSON string: 8 at a time (SWAR: a byte below
    /// 0x20, a quote or a backslash makes its lane's high bit set after the subtractions).
    @inline(__always)
    static func plainPrefix(_ bytes: UnsafeRawBufferPointer) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= bytes.count {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let control = w &- ones &* 0x20
            let quote = (w ^ (ones &* 0x22)) &- ones
            let backslash = (w ^ (ones &* 0x5C)) &- ones
            // `& ~w` keeps bytes >= 0x80 (UTF-8, never escaped) from counting as special.
            let special = (control | quote | backslash) & ~w & (ones &* 0x80)
            if special != 0 { return i + special.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return i
    }

    /// Writes the decimal digits of `v` right-aligned at the end of `out` (at least 20 bytes);
    /// returns how many.
    @inline(__always)
    static func decimal(_ v: UInt64, into out: UnsafeMutableRawBufferPointer) -> Int {
        var n = v, i = out.count
        // Two digits per division: window starts have 13.
        while n >= 100 {
            let (q, r) = n.quotientAndRemainder(dividingBy: 100)
            i -= 2
            out[i] = UInt8(truncatingIfNeeded: r / 10) &+ 0x30
            out[i + 1] = UInt8(truncatingIfNeeded: r % 10) &+ 0x30
            n = q
        }
        repeat {
            i -= 1
            out[i] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
            n /= 10
        } while n > 0
        return out.count - i
    }
}
