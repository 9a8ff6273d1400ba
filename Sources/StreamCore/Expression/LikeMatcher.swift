/// A compiled LIKE pattern: `%` matches any run of characters, `_` exactly one (a UTF-8 code point),
/// anything else itself; an escape character makes the next one literal. Matching is the classic
/// wildcard walk that backtracks only to the last `%`, on bytes, without allocating.
struct LikeMatcher: Sendable {
    enum Element: Sendable, Equatable { case byte(UInt8), one, any }

    let elements: [Element]

    enum PatternError: Error, Equatable { case escapeNotOneCharacter, danglingEscape }

    init(pattern: String, escape: String?) throws(PatternError) {
        var escapeByte: [UInt8]?
        if let escape {
            guard escape.count == 1 else { throw .escapeNotOneCharacter }
            escapeByte = Array(escape.utf8)
        }
        var elements: [Element] = []
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            if let escapeByte, Array(c.utf8) == escapeByte {
                guard let literal = chars.next() else { throw .danglingEscape }
                elements += literal.utf8.map { Element.byte($0) }
            } else if c == "%" {
                if elements.last != .any { elements.append(.any) }
            } else if c == "_" {
                elements.append(.one)
            } else {
                elements += c.utf8.map { Element.byte($0) }
            }
        }
        self.elements = elements
    }

    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        var t = 0, p = 0
        var starP = -1, starT = 0
        let n = text.count, m = elements.count
        while t < n {
            if p < m {
                switch elements[p] {
                case .byte(let b) where b == text[t]:
                    t += 1; p += 1; continue
                case .one:
                    t += Self.width(text[t]); p += 1; continue
                case .any:
                    starP = p; starT = t; p += 1; continue
                default:
                    break
                }
            }
            // Mismatch: let the last % take one more character, or fail.
            guard starP >= 0 else { return false }
            starT += Self.width(text[starT])
            t = starT
            p = starP + 1
        }
        while p < m, elements[p] == .any { p += 1 }
        return p == m && t == n
    }

    /// Bytes of the UTF-8 sequence starting with `lead` (a stray continuation byte counts as one).
    @inline(__always)
    static func width(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
