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
/// Strings are checked for escapes, control characters and UTF-8 (16 bytes at a time while plain ASCII).
///
/// The input is followed by `padding` zero bytes. A zero byte stops every scan (it is not whitespace, a
/// digit, a literal's letter, a structural character or a plain string byte), so loops read on without
/// comparing against `end` and only a scan that stopped on an unexpected byte asks whether it was the end.
struct JSONScanner {
    static let maxDepth = 64
    /// Zero bytes after the input: enough for the 16-byte string loads from any position up to `end`.
    static let padding = 32

    let p: UnsafePointer<UInt8>
    let end: Int
    let nodes: UnsafePointer<PathTable.Node>
    let children: UnsafePointer<PathTable.Child>
    let buckets: UnsafePointer<Int32>
    let names: UnsafePointer<UInt8>
    let results: UnsafeMutablePointer<NodeValue>
    /// The value of each looked-for node whose result is a number.
    let numbers: UnsafeMutablePointer<Double>
    /// Set when a string with escapes is recorded in `results`, so the reader looks for them only then.
    let sawEscapedString: UnsafeMutablePointer<Bool>
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
        let next: Int
        let kind: JSONKind
        switch p[i] {
        case UInt8(ascii: "\""):
            return try scanStringValue(i, node: node)
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
            let value: Double?
            (next, value) = try scanNumber(i)
            if node >= 0 {
                numbers[node] = value ?? JSONNumber.parse(UnsafeBufferPointer(start: p + i, count: next &- i))
            }
            kind = .number
        case UInt8(ascii: "t"):
            next = try scanLiteral(i, word: 0x6575_7274, count: 4)   // "true"
            kind = .bool
        case UInt8(ascii: "f"):
            next = try scanLiteral(i, word: 0x65_736C_6166, count: 5)   // "false"
            kind = .bool
        case UInt8(ascii: "n"):
            next = try scanLiteral(i, word: 0x6C6C_756E, count: 4)   // "null"
            kind = .null
        default:
            throw unexpected(i, "expected a value")
        }
        if node >= 0 {
            results[node] = NodeValue(kind: kind, escaped: false, inScratch: false, start: i, count: next - i)
        }
        return next
    }

    /// A string value whose opening quote is at `quote`; returns the position after it.
    @inline(__always)
    private func scanStringValue(_ quote: Int, node: Int) throws(JSONError) -> Int {
        let (after, escaped) = try scanString(quote &+ 1)
        if node >= 0 {
            results[node] = NodeValue(kind: .string, escaped: escaped, inScratch: false, start: quote &+ 1,
                                      count: after &- quote &- 2)
            if escaped { sawEscapedString.pointee = true }
        }
        return after
    }

    /// `context`: the table node whose children are looked for among this object's keys, or -1.
    ///
    /// Keys and string values, most of what a record holds, are scanned inline rather than through
    /// `scanValue`; other values take the general path. The separators of compact JSON, `:"` before a
    /// string value and `,"` before the next key, are each checked as one 2-byte word.
    func scanObject(_ open: Int, context: Int, depth: Int) throws(JSONError) -> Int {
        var i = skipWhitespace(open &+ 1)
        if p[i] == UInt8(ascii: "}") { return i &+ 1 }
        guard p[i] == UInt8(ascii: "\"") else { throw unexpected(i, "expected a string key") }
        let table = context >= 0 ? buckets + nodes[context].bucketStart : buckets
        while true {
            let (afterKey, child) = try scanKey(i &+ 1, context: context, table: table)
            i = afterKey
            if child >= 0 {
                // A repeated key replaces what the earlier one held: the value scanned next overwrites the
                // child's own result, and whatever an earlier value set below it is cleared here.
                var n = child &+ 1
                let subtreeEnd = nodes[child].subtreeEnd
                while n < subtreeEnd {
                    results[n].kind = .absent
                    n &+= 1
                }
            }
            if loadPair(i) == Self.colonQuote {
                i = try scanStringValue(i &+ 1, node: child)
            } else {
                i = skipWhitespace(i)
                guard p[i] == UInt8(ascii: ":") else { throw unexpected(i, "expected ':'") }
                i = skipWhitespace(i &+ 1)
                i = p[i] == UInt8(ascii: "\"")
                    ? try scanStringValue(i, node: child) : try scanValue(i, node: child, depth: depth)
            }
            if loadPair(i) == Self.commaQuote {
                i &+= 1
                continue
            }
            i = skipWhitespace(i)
            let c = p[i]
            i &+= 1
            if c == UInt8(ascii: "}") { return i }
            guard c == UInt8(ascii: ",") else { throw unexpected(i &- 1, "expected ',' or '}'") }
            i = skipWhitespace(i)
            guard p[i] == UInt8(ascii: "\"") else { throw unexpected(i, "expected a string key") }
        }
    }

    /// `:"` and `,"` as little-endian 2-byte words.
    private static let colonQuote: UInt16 = 0x223A
    private static let commaQuote: UInt16 = 0x222C

    /// The 2 bytes at `i` (at most `end`, so within the padding) as a little-endian word.
    @inline(__always)
    private func loadPair(_ i: Int) -> UInt16 {
        UInt16(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt16.self))
    }

    func scanArray(_ open: Int, depth: Int) throws(JSONError) -> Int {
        var i = skipWhitespace(open &+ 1)
        if p[i] == UInt8(ascii: "]") { return i &+ 1 }
        while true {
            i = skipWhitespace(try scanValue(i, node: -1, depth: depth))
            let c = p[i]
            i &+= 1
            if c == UInt8(ascii: ",") {
                i = skipWhitespace(i)
                continue
            }
            if c == UInt8(ascii: "]") { return i }
            throw unexpected(i &- 1, "expected ',' or ']'")
        }
    }

    // MARK: numbers and literals

    /// Validates a number's grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns the
    /// position after it, and its value when the digits alone give it exactly, else nil.
    ///
    /// The value is Clinger's fast path on the usual short decimal: with no exponent, at most 19 digits, a
    /// mantissa of at most 2^53 and at most 22 fraction digits, mantissa and power of ten are both exact
    /// Doubles, so one correctly rounded division gives the correctly rounded value (`JSONNumber.parse`
    /// and `Double(String)` give the same bits).
    func scanNumber(_ start: Int) throws(JSONError) -> (Int, Double?) {
        var i = start
        let negative = p[i] == UInt8(ascii: "-")
        if negative { i &+= 1 }
        let digitsStart = i
        var d = p[i] &- UInt8(ascii: "0")
        guard d < 10 else { throw JSONError(offset: start, message: "invalid number") }
        // Wraps past 19 digits, when `digits` rules the value out.
        var mantissa: UInt64 = 0
        if d == 0 {
            i &+= 1
            if isDigit(p[i]) { throw JSONError(offset: start, message: "invalid number") }
        } else {
            repeat {
                mantissa = mantissa &* 10 &+ UInt64(d)
                i &+= 1
                d = p[i] &- UInt8(ascii: "0")
            } while d < 10
        }
        var fractionDigits = 0
        if p[i] == UInt8(ascii: ".") {
            i &+= 1
            let fractionStart = i
            d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { throw JSONError(offset: start, message: "invalid number") }
            repeat {
                mantissa = mantissa &* 10 &+ UInt64(d)
                i &+= 1
                d = p[i] &- UInt8(ascii: "0")
            } while d < 10
            fractionDigits = i &- fractionStart
        }
        if p[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i &+= 1 }
            guard isDigit(p[i]) else { throw JSONError(offset: start, message: "invalid number") }
            return (skipDigits(i), nil)
        }
        let digits = i &- digitsStart &- (fractionDigits > 0 ? 1 : 0)
        guard digits <= 19, mantissa <= 1 << 53, fractionDigits <= 22 else { return (i, nil) }
        var scale = 1.0
        for _ in 0..<fractionDigits { scale *= 10 }
        let magnitude = Double(mantissa) / scale
        return (i, negative ? -magnitude : magnitude)
    }

    private func skipDigits(_ start: Int) -> Int {
        var i = start
        while isDigit(p[i]) { i &+= 1 }
        return i
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// The literal whose `count` bytes are the little-endian `word`, at `i`: one compare, the padding
    /// making the 8-byte load safe.
    private func scanLiteral(_ i: Int, word: UInt64, count: Int) throws(JSONError) -> Int {
        let mask: UInt64 = (1 << (8 * UInt64(count))) &- 1
        guard loadWord(i) & mask == word else { throw JSONError(offset: i, message: "expected a value") }
        return i &+ count
    }

    // MARK: helpers

    @inline(__always)
    private func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while true {
            let b = p[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return i }
            i &+= 1
        }
    }

    var endOfInput: JSONError { JSONError(offset: end, message: "unexpected end of input") }

    /// The error for a byte at `i` that cannot come there: the end of the input when `i` is past it.
    func unexpected(_ i: Int, _ message: StaticString) -> JSONError {
        i >= end ? endOfInput : JSONError(offset: i, message: message)
    }
}
