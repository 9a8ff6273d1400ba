#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Strings: plain runs 16 bytes at a time (SSE2, else SWAR), escapes, UTF-8 (RFC 3629), and unescaping.
extension JSONScanner {
    /// Scans string content from `i` (after the opening quote) through the closing quote; returns the
    /// position after it and whether the string had escapes. Inlined for plain strings, the usual case.
    @inline(__always)
    func scanString(_ start: Int) throws(JSONError) -> (Int, Bool) {
        let i = skipPlainStringBytes(start)
        if p[i] == UInt8(ascii: "\"") { return (i &+ 1, false) }
        return try scanStringRest(i)
    }

    /// `scanString` from the first byte that is not plain ASCII.
    private func scanStringRest(_ start: Int) throws(JSONError) -> (Int, Bool) {
        var i = start
        var escaped = false
        while true {
            guard i < end else { throw endOfInput }
            let b = p[i]
            if b == UInt8(ascii: "\"") { return (i + 1, escaped) }
            if b == UInt8(ascii: "\\") {
                i = try scanEscape(i)
                escaped = true
            } else if b < 0x20 {
                throw JSONError(offset: i, message: "control character in string")
            } else {
                i = try scanUTF8Sequence(i)
            }
            i = skipPlainStringBytes(i)
        }
    }

    /// The first position from `start` that is not printable ASCII other than quote and backslash, 16 bytes
    /// at a time. The zero padding stops it at the end of the input, so a load never starts past `end`.
    @inline(__always)
    func skipPlainStringBytes(_ start: Int) -> Int {
        var i = start
        #if arch(x86_64)
        // SSE2 (the x86-64 baseline): three byte compares and a movemask give the exact bit of each special
        // byte, about 12 instructions per 16 bytes where the SWAR below, auto-vectorized, takes 19.
        let quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C), space = _mm_set1_epi8(0x20)
        while true {
            let v = _mm_loadu_si128(UnsafeRawPointer(p + i).assumingMemoryBound(to: __m128i.self))
            // Signed, bytes below 0x20 are the control characters and every byte from 0x80.
            let special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space))
            let bits = _mm_movemask_epi8(special)
            if bits != 0 { return i &+ bits.trailingZeroBitCount }
            i &+= 16
        }
        #else
        while true {
            let low = Self.specialBytes(loadWord(i)), high = Self.specialBytes(loadWord(i &+ 8))
            if low | high != 0 {
                return low != 0 ? i &+ low.trailingZeroBitCount &>> 3 : i &+ 8 &+ high.trailingZeroBitCount &>> 3
            }
            i &+= 16
        }
        #endif
    }

    /// The 8 input bytes at `i` as a little-endian word.
    @inline(__always)
    func loadWord(_ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
    }

    /// SWAR: the high bit of each byte of `w` below 0x20, equal to 0x22 or 0x5C, or at or above 0x80. Such a
    /// byte makes the matching subtraction borrow (or is itself) a set high bit; borrows only run upward from
    /// such a byte, so the lowest set bit is exact (bits above it may be spurious).
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let control = w &- ones &* 0x20
        let quote = (w ^ (ones &* 0x22)) &- ones
        let backslash = (w ^ (ones &* 0x5C)) &- ones
        return (control | quote | backslash | w) & (ones &* 0x80)
    }

    private func scanEscape(_ i: Int) throws(JSONError) -> Int {
        guard i + 1 < end else { throw endOfInput }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            guard let unit = Self.hex4(p, at: i + 2, end: end) else {
                throw JSONError(offset: i, message: "invalid \\u escape")
            }
            if unit & 0xFC00 == 0xD800 {
                guard i + 7 < end, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                      let low = Self.hex4(p, at: i + 8, end: end), low & 0xFC00 == 0xDC00 else {
                    throw JSONError(offset: i, message: "lone surrogate in \\u escape")
                }
                return i + 12
            }
            if unit & 0xFC00 == 0xDC00 { throw JSONError(offset: i, message: "lone surrogate in \\u escape") }
            return i + 6
        default:
            throw JSONError(offset: i, message: "invalid escape")
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF).
    private func scanUTF8Sequence(_ i: Int) throws(JSONError) -> Int {
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch p[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1...0xF3: length = 4
        default: throw JSONError(offset: i, message: "", isUTF8: true)
        }
        guard i + length <= end, p[i + 1] >= low, p[i + 1] <= high else {
            throw JSONError(offset: i, message: "", isUTF8: true)
        }
        for k in 2..<length where p[i + k] & 0xC0 != 0x80 {
            throw JSONError(offset: i, message: "", isUTF8: true)
        }
        return i + length
    }

    static func hex4(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> UInt32? {
        guard i + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Writes the UTF-8 of the already-validated string content `p[from..<to]` to `out`; returns its length.
    static func unescape(_ p: UnsafePointer<UInt8>, from: Int, to: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = from, o = 0
        while i < to {
            let b = p[i]
            if b != UInt8(ascii: "\\") {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            let e = p[i + 1]
            i += 2
            var c: UInt8
            switch e {
            case UInt8(ascii: "b"): c = 0x08
            case UInt8(ascii: "f"): c = 0x0C
            case UInt8(ascii: "n"): c = 0x0A
            case UInt8(ascii: "r"): c = 0x0D
            case UInt8(ascii: "t"): c = 0x09
            case UInt8(ascii: "u"):
                var scalar = hex4(p, at: i, end: to)!
                i += 4
                if scalar & 0xFC00 == 0xD800 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(p, at: i + 2, end: to)! - 0xDC00)
                    i += 6
                }
                o += encodeUTF8(scalar, into: out + o)
                continue
            default: c = e
            }
            out[o] = c
            o += 1
        }
        return o
    }

    private static func encodeUTF8(_ s: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch s {
        case 0..<0x80:
            out[0] = UInt8(s)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | s >> 6)
            out[1] = UInt8(0x80 | s & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | s >> 12)
            out[1] = UInt8(0x80 | s >> 6 & 0x3F)
            out[2] = UInt8(0x80 | s & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | s >> 18)
            out[1] = UInt8(0x80 | s >> 12 & 0x3F)
            out[2] = UInt8(0x80 | s >> 6 & 0x3F)
            out[3] = UInt8(0x80 | s & 0x3F)
            return 4
        }
    }
}
