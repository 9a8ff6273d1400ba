import Testing
@testable import StreamCore

/// REGEXP_EXTRACT and the Pike VM under it: classes, groups, alternation, anchors, quantifiers.
@Suite struct ExpressionRegexTests {
    private func extract(_ input: String, _ pattern: String, _ group: Int? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) -> ExprOutcome {
        let quoted = "'" + input.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        let groupText = group.map { ", \($0)" } ?? ""
        return evalExpr("REGEXP_EXTRACT(\(quoted), '\(pattern)'\(groupText))", sourceLocation: sourceLocation)
    }

    @Test("the whole match by default, a group on request; no match is NULL")
    func groups() {
        #expect(extract("order-123-x", "[0-9]+") == .str("123"))
        #expect(extract("order-123-x", "([a-z]+)-(\\d+)", 2) == .str("123"))
        #expect(extract("order-123-x", "([a-z]+)-(\\d+)", 1) == .str("order"))
        #expect(extract("abc", "\\d") == .null)
        #expect(extract("abc", "(x)|b", 1) == .null)
        #expect(extract("abab", "(?:ab)+") == .str("abab"))
        #expect(evalExpr("REGEXP_EXTRACT(data.missing, 'a')") == .null)
    }

    @Test("classes: ranges, negation, shorthands and their negations, inside and outside []")
    func classes() {
        #expect(extract("ab_9 x", "[a-z_0-9]+") == .str("ab_9"))
        #expect(extract("abc123", "[^a-c]+") == .str("123"))
        #expect(extract("a1 b", "\\w\\d\\s\\w") == .str("a1 b"))
        #expect(extract("12ab", "\\D+") == .str("ab"))
        #expect(extract("ab cd", "\\S+\\s\\W?") == .str("ab "))
        #expect(extract("x-y", "[\\w-]+") == .str("x-y"))
        #expect(extract("a.b", "\\.") == .str("."))
        #expect(extract("a\\b", "\\\\") == .str("\\"))
        #expect(extract("]x", "[]x]+") == .str("]x"))
        #expect(extract("naïve", "n..v") == .str("naïv"))
        #expect(extract("ï", "[à-ÿ]") == .str("ï"))
    }

    @Test("alternation: leftmost match first, then the first alternative wins")
    func alternation() {
        #expect(extract("xcatdog", "dog|cat") == .str("cat"))
        #expect(extract("abc", "a|ab|abc") == .str("a"))
        #expect(extract("abc", "(a|ab)(c|bc)", 1) == .str("a"))
        #expect(extract("abc", "(a|ab)(c|bc)", 2) == .str("bc"))
    }

    @Test("anchors ^ and $ hold at the input's ends")
    func anchors() {
        #expect(extract("abc", "^b") == .null)
        #expect(extract("abc", "^a") == .str("a"))
        #expect(extract("abc", "c$") == .str("c"))
        #expect(extract("abcb", "b$") == .str("b"))
        #expect(extract("abc", "^abc$") == .str("abc"))
        #expect(extract("", "^$") == .str(""))
    }

    @Test("quantifiers: * + ? {m} {m,} {m,n} greedy, and lazy forms")
    func quantifiers() {
        #expect(extract("aaaa", "a*") == .str("aaaa"))
        #expect(extract("baaa", "a*") == .str(""))
        #expect(extract("baaa", "a+") == .str("aaa"))
        #expect(extract("color colour", "colou?r") == .str("color"))
        #expect(extract("aaaaa", "a{2}") == .str("aa"))
        #expect(extract("aaaaa", "a{2,}") == .str("aaaaa"))
        #expect(extract("aaaaa", "a{2,3}") == .str("aaa"))
        #expect(extract("a", "a{2,3}") == .null)
        #expect(extract("<a><b>", "<.+>") == .str("<a><b>"))
        #expect(extract("<a><b>", "<.+?>") == .str("<a>"))
        #expect(extract("aaa", "a*?") == .str(""))
        #expect(extract("aaa", "a{2,3}?") == .str("aa"))
        #expect(extract("x{1", "x{1") == .str("x{1"))
        #expect(extract("ab", "(a*)*b", 1) == .str("a"))
    }

    @Test("captures inside repetition keep the last iteration")
    func repeatedCaptures() {
        #expect(extract("a1b2c3", "(?:([a-z])\\d)+", 1) == .str("c"))
        #expect(extract("k=v;", "(\\w+)=(\\w*);", 2) == .str("v"))
    }
}
