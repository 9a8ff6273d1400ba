/// One token of an expression; offsets count Characters so errors point at what the user sees.
struct Token: Equatable {
    enum Kind: Equatable {
        case word(String)          // identifier or keyword (keywords are told apart by the parser)
        case quotedName(String)    // `...`: always a name, never a keyword
        case number(Double)
        case string(String)
        case symbol(String)        // ( ) , . + - * / % || = <> != < <= > >=
        case end
    }
    var kind: Kind
    var range: SourceRange

    /// The word in upper case when this is an unquoted word, for keyword tests.
    var keyword: String? {
        if case .word(let w) = kind { return w.uppercased() }
        return nil
    }
}

/// Splits expression text into tokens; stops at the first malformed token.
struct Lexer {
    private let chars: [Character]
    private var pos = 0

    init(_ text: String) { chars = Array(text) }

    static func tokenize(_ text: String) -> Result<[Token], ExpressionError> {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            switch lexer.next() {
            case .success(let token):
                tokens.append(token)
                if token.kind == .end { return .success(tokens) }
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    private mutating func next() -> Result<Token, ExpressionError> {
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
        let start = pos
        guard pos < chars.count else { return .success(Token(kind: .end, range: SourceRange(offset: pos, length: 1))) }
        let c = chars[pos]
        func token(_ kind: Token.Kind) -> Result<Token, ExpressionError> {
            .success(Token(kind: kind, range: SourceRange(offset: start, length: pos - start)))
        }
        if c.isLetter || c == "_" {
            while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" { pos += 1 }
            return token(.word(String(chars[start..<pos])))
        }
        if c.isASCII, c.isNumber || (c == "." && pos + 1 < chars.count && chars[pos + 1].isASCII && chars[pos + 1].isNumber) {
            return number(start)
        }
        switch c {
        case "'": return quoted(start, quote: "'") { .string($0) }
        case "`": return quoted(start, quote: "`") { .quotedName($0) }
        default: break
        }
        for symbol in ["||", "<>", "!=", "<=", ">="] where matches(symbol) {
            pos += 2
            return token(.symbol(symbol))
        }
        if "(),.+-*/%=<>".contains(c) {
            pos += 1
            return token(.symbol(String(c)))
        }
        return .failure(ExpressionError(SourceRange(offset: start, length: 1), "unexpected character '\(c)'"))
    }

    private func matches(_ symbol: String) -> Bool {
        var i = pos
        for s in symbol {
            guard i < chars.count, chars[i] == s else { return false }
            i += 1
        }
        return true
    }

    private mutating func number(_ start: Int) -> Result<Token, ExpressionError> {
        func digits() { while pos < chars.count, chars[pos].isASCII, chars[pos].isNumber { pos += 1 } }
        digits()
        if pos < chars.count, chars[pos] == "." { pos += 1; digits() }
        if pos < chars.count, chars[pos] == "e" || chars[pos] == "E" {
            let mark = pos
            pos += 1
            if pos < chars.count, chars[pos] == "+" || chars[pos] == "-" { pos += 1 }
            let before = pos
            digits()
            if pos == before { pos = mark }   // "2e" is the number 2 followed by a word
        }
        let range = SourceRange(offset: start, length: pos - start)
        guard let value = Double(String(chars[start..<pos])), value.isFinite else {
            return .failure(ExpressionError(range, "number out of range"))
        }
        return .success(Token(kind: .number(value), range: range))
    }

    /// A quoted string or name; a doubled quote stands for one.
    private mutating func quoted(_ start: Int, quote: Character,
                                 _ make: (String) -> Token.Kind) -> Result<Token, ExpressionError> {
        pos += 1
        var text = ""
        while pos < chars.count {
            if chars[pos] == quote {
                if pos + 1 < chars.count, chars[pos + 1] == quote {
                    text.append(quote)
                    pos += 2
                    continue
                }
                pos += 1
                return .success(Token(kind: make(text), range: SourceRange(offset: start, length: pos - start)))
            }
            text.append(chars[pos])
            pos += 1
        }
        let what = quote == "'" ? "string" : "quoted name"
        return .failure(ExpressionError(SourceRange(offset: start, length: pos - start), "unterminated \(what)"))
    }
}
