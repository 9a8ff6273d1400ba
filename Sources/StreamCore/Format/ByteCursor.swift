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
    mutating func putEscaped(_ bytes: UnsafeRawBufferPointer) {
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            put(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
            runStart = i + 1
            JSONEscape.forEachByte(escaping: b) { put($0) }
        }
        put(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }

    /// A timestamp in quotes.
    mutating func putQuoted(_ time: TimestampText) {
        put(UInt8(ascii: "\""))
        time.withBytes { put($0) }
        put(UInt8(ascii: "\""))
    }

    mutating func putInt(_ v: Int64) {
        if v < 0 { put(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &digits) { JSONEscape.decimal(v.magnitude, into: $0) }
        withUnsafeBytes(of: digits) { put(UnsafeRawBufferPointer(rebasing: $0[(24 - n)...])) }
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

    /// Writes the decimal digits of `v` right-aligned at the end of `out` (at least 20 bytes);
    /// returns how many.
    @inline(__always)
    static func decimal(_ v: UInt64, into out: UnsafeMutableRawBufferPointer) -> Int {
        var n = v, i = out.count
        repeat {
            i -= 1
            out[i] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
            n /= 10
        } while n > 0
        return out.count - i
    }
}
