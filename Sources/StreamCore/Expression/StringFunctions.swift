#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The string functions over UTF-8 views. Positions count code points; case mapping is ASCII only.
enum StringFunctions {
    static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    /// Bytewise order: -1, 0 or 1.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, common)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// ASCII letters shifted into the other case (`upper`: a-z to A-Z), in a copy in the arena.
    static func mapCase(_ s: UnsafeRawBufferPointer, upper: Bool, arena: inout ExprArena) -> UnsafeRawBufferPointer {
        guard s.count > 0 else { return empty }
        let out = arena.allocate(s.count)
        let from: ClosedRange<UInt8> = upper ? 0x61...0x7A : 0x41...0x5A
        for i in 0..<s.count {
            let b = s[i]
            out.storeBytes(of: from.contains(b) ? b ^ 0x20 : b, toByteOffset: i, as: UInt8.self)
        }
        return UnsafeRawBufferPointer(start: out, count: s.count)
    }

    /// Without leading and trailing spaces (a view, no copy).
    static func trim(_ s: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var low = 0, high = s.count
        while low < high, s[low] == 0x20 { low += 1 }
        while high > low, s[high - 1] == 0x20 { high -= 1 }
        return low == high ? empty : UnsafeRawBufferPointer(rebasing: s[low..<high])
    }

    static func charLength(_ s: UnsafeRawBufferPointer) -> Int {
        var n = 0
        for b in s where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// SQL SUBSTRING: characters from position `start` (1-based) for `length`, where positions
    /// before 1 still count toward the length (SUBSTRING('abc', 0, 2) = 'a'); a negative length
    /// gives ''. A view, no copy.
    static func substring(_ s: UnsafeRawBufferPointer, start: Double, length: Double?) -> UnsafeRawBufferPointer {
        let first = clamp(start)
        var end = Int.max                   // exclusive, in positions
        if let length {
            let n = clamp(length)
            if n < 0 { return empty }
            end = first + n
        }
        let from = max(first, 1)
        guard end > from else { return empty }
        let low = byteOffset(ofPosition: from, in: s)
        let high = end == Int.max ? s.count : byteOffset(ofPosition: end, in: s)
        return low >= high ? empty : UnsafeRawBufferPointer(rebasing: s[low..<high])
    }

    /// Flink's SPLIT_INDEX: the `index`-th (from 0) of the pieces `s` splits into at each
    /// `delimiter`; nil past the last piece, for a negative index or for an empty `s` (no pieces).
    /// An empty delimiter splits at each whitespace byte, as Flink's does. A view, no copy.
    static func splitIndex(_ s: UnsafeRawBufferPointer, by delimiter: UnsafeRawBufferPointer, _ index: Double) -> UnsafeRawBufferPointer? {
        var wanted = clamp(index)
        guard wanted >= 0, s.count > 0 else { return nil }
        var start = 0
        while let end = nextDelimiter(delimiter, in: s, from: start) {
            if wanted == 0 { return start == end ? empty : UnsafeRawBufferPointer(rebasing: s[start..<end]) }
            wanted -= 1
            start = end + max(delimiter.count, 1)
        }
        guard wanted == 0 else { return nil }
        return start == s.count ? empty : UnsafeRawBufferPointer(rebasing: s[start...])
    }

    /// Where the next `delimiter` (whitespace when empty) in `s` begins, at or after `from`.
    @inline(__always)
    private static func nextDelimiter(_ delimiter: UnsafeRawBufferPointer, in s: UnsafeRawBufferPointer, from: Int) -> Int? {
        let d = delimiter.count, base = s.baseAddress!
        switch d {
        case 0:
            // Java's whitespace in ASCII: tab to carriage return, the four separators, space.
            return (from..<s.count).first { (9...13).contains(s[$0]) || (28...32).contains(s[$0]) }
        case 1:
            // One delimiter byte, the common case (a path, a CSV field): memchr jumps piece to piece.
            guard let hit = memchr(base + from, Int32(delimiter[0]), s.count - from) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        default:
            var i = from
            while i + d <= s.count {
                if s[i] == delimiter[0] && memcmp(base + i, delimiter.baseAddress!, d) == 0 { return i }
                i += 1
            }
            return nil
        }
    }

    /// Flink's REPLACE: every occurrence of `search` in `s`, left to right and not overlapping,
    /// replaced by `replacement`. An empty `search` leaves `s` as it is; so does no occurrence,
    /// as a view with no copy.
    static func replace(_ search: UnsafeRawBufferPointer, in s: UnsafeRawBufferPointer, with replacement: UnsafeRawBufferPointer,
                        arena: inout ExprArena) -> UnsafeRawBufferPointer {
        let d = search.count
        guard d > 0 else { return s }
        func occurs(at i: Int) -> Bool {
            s[i] == search[0] && (d == 1 || memcmp(s.baseAddress! + i, search.baseAddress!, d) == 0)
        }
        var found = 0, i = 0
        while i + d <= s.count {
            if occurs(at: i) { found += 1; i += d } else { i += 1 }
        }
        guard found > 0 else { return s }
        let total = s.count + found * (replacement.count - d)
        guard total > 0 else { return empty }
        let out = arena.allocate(total)
        var at = 0, start = 0
        i = 0
        func copy(_ bytes: UnsafeRawBufferPointer) {
            if bytes.count > 0 { (out + at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            at += bytes.count
        }
        while i + d <= s.count {
            if occurs(at: i) {
                copy(UnsafeRawBufferPointer(rebasing: s[start..<i]))
                copy(replacement)
                i += d
                start = i
            } else {
                i += 1
            }
        }
        copy(UnsafeRawBufferPointer(rebasing: s[start...]))
        return UnsafeRawBufferPointer(start: out, count: total)
    }

    /// Keeps position arithmetic far from overflow; no string is that long.
    private static func clamp(_ d: Double) -> Int {
        Int(max(-1e15, min(1e15, d.rounded(.towardZero))))
    }

    /// Byte offset of the character at 1-based `position` (the end when past it).
    private static func byteOffset(ofPosition position: Int, in s: UnsafeRawBufferPointer) -> Int {
        var seen = 0
        for i in 0..<s.count where s[i] & 0xC0 != 0x80 {
            seen += 1
            if seen == position { return i }
        }
        return s.count
    }

    static func concat(_ parts: UnsafeMutablePointer<ExprValue>, count: Int, arena: inout ExprArena) -> UnsafeRawBufferPointer {
        var total = 0
        for i in 0..<count { total += parts[i].string.count }
        guard total > 0 else { return empty }
        let out = arena.allocate(total)
        var at = 0
        for i in 0..<count where parts[i].string.count > 0 {
            (out + at).copyMemory(from: parts[i].string.baseAddress!, byteCount: parts[i].string.count)
            at += parts[i].string.count
        }
        return UnsafeRawBufferPointer(start: out, count: total)
    }

    /// 'true' or 'false' in any case (spaces around allowed); nil otherwise.
    static func parseBoolean(_ s: UnsafeRawBufferPointer) -> Bool? {
        let t = trim(s)
        func isWord(_ word: StaticString) -> Bool {
            guard t.count == word.utf8CodeUnitCount else { return false }
            for i in 0..<t.count where t[i] | 0x20 != word.utf8Start[i] { return false }
            return true
        }
        return isWord("true") ? true : isWord("false") ? false : nil
    }

    static func staticText(_ s: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
    }
}
