/// The kind of JSON value a key held in the last record; `absent` when the key did not occur.
enum JSONKind: UInt8 {
    case absent, null, bool, number, string, object, array
}

/// Where a looked-for key's value lies: `start..<start+count` of the input (string contents without the
/// quotes), or of the reader's scratch buffer once an escaped string has been unescaped there.
struct NodeValue {
    var kind: JSONKind
    /// A string whose input text has escapes.
    var escaped: Bool
    var inScratch: Bool
    var start: Int
    var count: Int

    static var absent: NodeValue { NodeValue(kind: .absent, escaped: false, inScratch: false, start: 0, count: 0) }
}

/// A syntax or encoding error at a byte offset; turned into a `BadRecord` reason only when it happens.
struct JSONError: Error {
    var offset: Int
    var message: StaticString
    var isUTF8: Bool = false

    var reason: String {
        isUTF8 ? "not valid UTF-8 at byte \(offset)" : "invalid JSON at byte \(offset): \(message)"
    }
}

/// One pass over a JSON text (RFC 8259): validates all of it, and records where the values of the keys in
/// a `PathTable` are as it meets them.
///
/// Works on raw pointers handed in by the reader, so the loop does no reference counting, allocation or
/// exclusivity checks; positions are passed and returned rather than stored, so they stay in registers.
/// Strings are checked for escapes, control characters and UTF-8 (8 bytes at a time while plain ASCII).
struct JSONScanner {
    static let maxDepth = 64

    let p: UnsafePointer<UInt8>
    let end: Int
    let nodes: UnsafePointer<PathTable.Node>
    let children: UnsafePointer<PathTable.Child>
    let names: UnsafePointer<UInt8>
    let results: UnsafeMutablePointer<NodeValue>
    /// Room for one unescaped key, at least the input's size (unescaping never lengthens a string).
    let keyBuffer: UnsafeMutablePointer<UInt8>

    /// Scans the whole text as one value whose matches go to node 0 (the top level).
    func scanDocument() throws(JSONError) {
        var i = skipWhitespace(0)
        i = try scanValue(i, node: 0, depth: 0)
        i = skipWhitespace(i)
        if i != end { throw JSONError(offset: i, message: "unexpected data after the value") }
    }

    // MARK: values

    /// Scans the value at `i`, returning the position after it; `node` is the table node it belongs to,
    /// or -1 when nobody looks for it.
    func scanValue(_ i: Int, node: Int, depth: Int) throws(JSONError) -> Int {
        guard i < end else { throw endOfInput }
        let next: Int
        let kind: JSONKind
        switch p[i] {
        case UInt8(ascii: "\""):
            let (after, escaped) = try scanString(i + 1)
            if node >= 0 {
                results[node] = NodeValue(kind: .string, escaped: escaped, inScratch: false, start: i + 1,
                                          count: after - i - 2)
            }
            return after
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw JSONError(offset: i, message: "nesting deeper than 64") }
            let context = node >= 0 && nodes[node].childEnd > nodes[node].childStart ? node : -1
            next = try scanObject(i, context: context, depth: depth + 1)
            kind = .object
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw JSONError(offset: i, message: "nesting deeper than 64") }
            next = try scanArray(i, depth: depth + 1)
            kind = .array
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            next = try scanNumber(i)
            kind = .number
        case UInt8(ascii: "t"):
            next = try scanLiteral(i, "true")
            kind = .bool
        case UInt8(ascii: "f"):
            next = try scanLiteral(i, "false")
            kind = .bool
        case UInt8(ascii: "n"):
            next = try scanLiteral(i, "null")
            kind = .null
        default:
            throw JSONError(offset: i, message: "expected a value")
        }
        if node >= 0 {
            results[node] = NodeValue(kind: kind, escaped: false, inScratch: false, start: i, count: next - i)
        }
        return next
    }

    /// `context`: the table node whose children are looked for among this object's keys, or -1.
    func scanObject(_ open: Int, context: Int, depth: Int) throws(JSONError) -> Int {
        var i = skipWhitespace(open + 1)
        guard i < end else { throw endOfInput }
        if p[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard i < end else { throw endOfInput }
            guard p[i] == UInt8(ascii: "\"") else { throw JSONError(offset: i, message: "expected a string key") }
            let keyStart = i + 1
            let (afterKey, escaped) = try scanString(keyStart)
            let child = context >= 0
                ? match(parent: context, keyStart: keyStart, keyEnd: afterKey - 1, escaped: escaped) : -1
            i = skipWhitespace(afterKey)
            guard i < end else { throw endOfInput }
            guard p[i] == UInt8(ascii: ":") else { throw JSONError(offset: i, message: "expected ':'") }
            i = skipWhitespace(i + 1)
            if child >= 0 {
                // A repeated key replaces what the earlier one held, nested values included.
                for n in child..<nodes[child].subtreeEnd { results[n] = .absent }
            }
            i = skipWhitespace(try scanValue(i, node: child, depth: depth))
            guard i < end else { throw endOfInput }
            let c = p[i]
            i += 1
            if c == UInt8(ascii: "}") { return i }
            guard c == UInt8(ascii: ",") else { throw JSONError(offset: i - 1, message: "expected ',' or '}'") }
            i = skipWhitespace(i)
        }
    }

    func scanArray(_ open: Int, depth: Int) throws(JSONError) -> Int {
        var i = skipWhitespace(open + 1)
        guard i < end else { throw endOfInput }
        if p[i] == UInt8(ascii: "]") { return i + 1 }
        while true {
            i = skipWhitespace(try scanValue(i, node: -1, depth: depth))
            guard i < end else { throw endOfInput }
            let c = p[i]
            i += 1
            if c == UInt8(ascii: "]") { return i }
            guard c == UInt8(ascii: ",") else { throw JSONError(offset: i - 1, message: "expected ',' or ']'") }
            i = skipWhitespace(i)
        }
    }

    // MARK: strings

    /// Scans string content from `i` (after the opening quote) through the closing quote; returns the
    /// position after it and whether the string had escapes. Inlined for plain strings, the usual case.
    @inline(__always)
    func scanString(_ start: Int) throws(JSONError) -> (Int, Bool) {
        let i = skipPlainStringBytes(start)
        if i < end, p[i] == UInt8(ascii: "\"") { return (i + 1, false) }
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

    /// The first position from `i` that is not printable ASCII other than quote and backslash, 8 bytes at
    /// a time where it can. SWAR: a byte below 0x20, equal to 0x22 or 0x5C, or with its high bit set makes
    /// the matching subtraction borrow (or is itself) a set high bit; borrows only run upward from such a
    /// byte, so the lowest set high bit marks the first byte that needs attention.
    @inline(__always)
    private func skipPlainStringBytes(_ start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i + 8 <= end {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let control = w &- ones &* 0x20
            let quote = (w ^ (ones &* 0x22)) &- ones
            let backslash = (w ^ (ones &* 0x5C)) &- ones
            let special = (control | quote | backslash | w) & (ones &* 0x80)
            if special != 0 { return i + special.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end {
            let c = p[i]
            guard c &- 0x20 < 0x60, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") else { return i }
            i += 1
        }
        return i
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

    /// The child node of `parent` named by the key `keyStart..<keyEnd`, or -1.
    @inline(__always)
    private func match(parent: Int, keyStart: Int, keyEnd: Int, escaped: Bool) -> Int {
        var key = p + keyStart
        var count = keyEnd - keyStart
        if escaped {
            count = Self.unescape(p, from: keyStart, to: keyEnd, into: keyBuffer)
            key = UnsafePointer(keyBuffer)
        }
        let prefix = count >= 8 || (!escaped && keyStart + 8 <= end)
            ? PathTable.prefix(of: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self), count: count)
            : PathTable.prefix(of: UnsafeBufferPointer(start: key, count: count))
        let node = nodes[parent]
        for c in node.childStart..<node.childEnd {
            let child = children[c]
            if child.prefix == prefix, child.nameCount == count,
               count <= 8 || Self.bytesEqual(key + 8, names + child.nameStart + 8, count - 8) { return child.node }
        }
        return -1
    }

    private static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for i in 0..<count where a[i] != b[i] { return false }
        return true
    }

    // MARK: numbers and literals

    /// Validates a number's grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns
    /// the position after it.
    func scanNumber(_ start: Int) throws(JSONError) -> Int {
        var i = start
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end, isDigit(p[i]) else { throw JSONError(offset: start, message: "invalid number") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, isDigit(p[i]) { throw JSONError(offset: start, message: "invalid number") }
        } else {
            i = skipDigits(i)
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end, isDigit(p[i]) else { throw JSONError(offset: start, message: "invalid number") }
            i = skipDigits(i)
        }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, isDigit(p[i]) else { throw JSONError(offset: start, message: "invalid number") }
            i = skipDigits(i)
        }
        return i
    }

    private func skipDigits(_ start: Int) -> Int {
        var i = start
        while i < end, isDigit(p[i]) { i += 1 }
        return i
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    private func scanLiteral(_ i: Int, _ literal: StaticString) throws(JSONError) -> Int {
        let n = literal.utf8CodeUnitCount
        guard i + n <= end else { throw JSONError(offset: i, message: "expected a value") }
        let text = literal.utf8Start
        for k in 0..<n where p[i + k] != text[k] {
            throw JSONError(offset: i, message: "expected a value")
        }
        return i + n
    }

    // MARK: helpers

    @inline(__always)
    private func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < end {
            let b = p[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return i }
            i += 1
        }
        return i
    }

    private var endOfInput: JSONError { JSONError(offset: end, message: "unexpected end of input") }
}
