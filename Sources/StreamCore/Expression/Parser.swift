/// Recursive descent over SQL precedence, lowest first: OR, AND, NOT, comparison / IS / IN / LIKE /
/// BETWEEN, ||, + -, * / %, unary -. A syntax error ends parsing (later text cannot be trusted).
struct Parser {
    private var tokens: [Token]
    private var index = 0

    private static let reserved: Set<String> = [
        "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "ESCAPE", "BETWEEN", "CASE", "WHEN", "THEN",
        "ELSE", "END", "TRUE", "FALSE", "CAST", "AS", "FROM", "FOR",
    ]

    static func parse(_ text: String) -> Result<Node, ExpressionError> {
        switch Lexer.tokenize(text) {
        case .failure(let error):
            return .failure(error)
        case .success(let tokens):
            var parser = Parser(tokens: tokens)
            do throws(ExpressionError) {
                let node = try parser.expression()
                guard parser.peek.kind == .end else { throw parser.unexpected("end of expression") }
                return .success(node)
            } catch {
                return .failure(error)
            }
        }
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: tokens

    private var peek: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isKeyword(_ word: String, ahead: Int = 0) -> Bool {
        tokens[min(index + ahead, tokens.count - 1)].keyword == word
    }

    private func isSymbol(_ symbol: String) -> Bool { peek.kind == .symbol(symbol) }

    /// Consumes the keyword when it is next.
    private mutating func take(_ word: String) -> SourceRange? {
        isKeyword(word) ? advance().range : nil
    }

    private mutating func expect(_ word: String) throws(ExpressionError) -> SourceRange {
        guard let range = take(word) else { throw unexpected(word) }
        return range
    }

    private mutating func expectSymbol(_ symbol: String) throws(ExpressionError) -> SourceRange {
        guard isSymbol(symbol) else { throw unexpected("'\(symbol)'") }
        return advance().range
    }

    private func unexpected(_ wanted: String) -> ExpressionError {
        let token = peek
        let found: String
        switch token.kind {
        case .end: found = "end of expression"
        case .word(let w): found = "'\(w)'"
        case .quotedName(let n): found = "`\(n)`"
        case .number: found = "a number"
        case .string: found = "a string"
        case .symbol(let s): found = "'\(s)'"
        }
        return ExpressionError(token.range, "expected \(wanted), found \(found)")
    }

    // MARK: grammar

    private mutating func expression() throws(ExpressionError) -> Node { try or() }

    private mutating func or() throws(ExpressionError) -> Node {
        var left = try and()
        while let op = take("OR") { left = .binary(.or, left, try and(), op: op) }
        return left
    }

    private mutating func and() throws(ExpressionError) -> Node {
        var left = try not()
        while let op = take("AND") { left = .binary(.and, left, try not(), op: op) }
        return left
    }

    private mutating func not() throws(ExpressionError) -> Node {
        if let op = take("NOT") { return .unary(.not, try not(), op: op) }
        return try predicate()
    }

    private static let comparisons: [String: BinaryOp] = [
        "=": .equal, "<>": .notEqual, "!=": .notEqual, "<": .less, "<=": .lessOrEqual,
        ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func predicate() throws(ExpressionError) -> Node {
        var left = try concat()
        while true {
            if case .symbol(let s) = peek.kind, let op = Self.comparisons[s] {
                let range = advance().range
                left = .binary(op, left, try concat(), op: range)
            } else if let op = take("IS") {
                let negated = take("NOT") != nil
                let end = try expect("NULL")
                left = .isNull(left, negated: negated, op: op.through(end))
            } else if isKeyword("IN") || isKeyword("LIKE") || isKeyword("BETWEEN")
                        || (isKeyword("NOT") && (isKeyword("IN", ahead: 1) || isKeyword("LIKE", ahead: 1)
                                                 || isKeyword("BETWEEN", ahead: 1))) {
                left = try negatable(left)
            } else {
                return left
            }
        }
    }

    /// `[NOT] IN (...)`, `[NOT] LIKE p [ESCAPE e]`, `[NOT] BETWEEN a AND b` after `left`.
    private mutating func negatable(_ left: Node) throws(ExpressionError) -> Node {
        let not = take("NOT")
        let word = advance()
        let op = (not ?? word.range).through(word.range)
        switch word.keyword {
        case "IN":
            _ = try expectSymbol("(")
            var items = [try expression()]
            while isSymbol(",") {
                _ = advance()
                items.append(try expression())
            }
            _ = try expectSymbol(")")
            return .inList(left, items, negated: not != nil, op: op)
        case "LIKE":
            let pattern = try concat()
            let escape: Node? = take("ESCAPE") != nil ? try concat() : nil
            return .like(left, pattern: pattern, escape: escape, negated: not != nil, op: op)
        default:
            let low = try concat()
            _ = try expect("AND")
            return .between(left, low, try concat(), negated: not != nil, op: op)
        }
    }

    private mutating func concat() throws(ExpressionError) -> Node {
        var left = try additive()
        while isSymbol("||") {
            let op = advance().range
            left = .binary(.concat, left, try additive(), op: op)
        }
        return left
    }

    private mutating func additive() throws(ExpressionError) -> Node {
        var left = try multiplicative()
        while isSymbol("+") || isSymbol("-") {
            let token = advance()
            left = .binary(token.kind == .symbol("+") ? .add : .subtract, left, try multiplicative(), op: token.range)
        }
        return left
    }

    private mutating func multiplicative() throws(ExpressionError) -> Node {
        var left = try unary()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            let token = advance()
            let op: BinaryOp = token.kind == .symbol("*") ? .multiply : token.kind == .symbol("/") ? .divide : .modulo
            left = .binary(op, left, try unary(), op: token.range)
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Node {
        if isSymbol("-") {
            let op = advance().range
            let operand = try unary()
            // Fold a negative literal so `-5` is a constant (and ROUND(x, -2) sees a literal).
            if case .number(let n, let r) = operand { return .number(-n, op.through(r)) }
            if case .parenthesized(.number(let n, _), let r) = operand { return .number(-n, op.through(r)) }
            return .unary(.negate, operand, op: op)
        }
        if isSymbol("+") {
            _ = advance()
            return try unary()
        }
        return try primary()
    }

    private mutating func primary() throws(ExpressionError) -> Node {
        let token = peek
        switch token.kind {
        case .number(let n):
            _ = advance()
            return .number(n, token.range)
        case .string(let s):
            _ = advance()
            return .string(s, token.range)
        case .symbol("("):
            _ = advance()
            let inner = try expression()
            let end = try expectSymbol(")")
            return .parenthesized(inner, all: token.range.through(end))
        case .quotedName:
            return try name()
        case .word(let word):
            switch word.uppercased() {
            case "NULL": _ = advance(); return .null(token.range)
            case "TRUE": _ = advance(); return .boolean(true, token.range)
            case "FALSE": _ = advance(); return .boolean(false, token.range)
            case "CASE": return try caseWhen()
            case "CAST": return try cast()
            default:
                if tokens[index + 1].kind == .symbol("(") { return try call() }
                if Self.reserved.contains(word.uppercased()) { throw unexpected("an operand") }
                return try name()
            }
        default:
            throw unexpected("an operand")
        }
    }

    /// A dotted name; parts are words (keywords included after a dot) or backquoted.
    private mutating func name() throws(ExpressionError) -> Node {
        var parts: [String] = []
        let start = peek.range
        var end = start
        while true {
            let token = advance()
            switch token.kind {
            case .word(let w), .quotedName(let w): parts.append(w)
            default: index -= 1; throw unexpected("a name")
            }
            end = token.range
            guard isSymbol(".") else { break }
            _ = advance()
        }
        return .name(FieldPath(parts), start.through(end))
    }

    private mutating func caseWhen() throws(ExpressionError) -> Node {
        let start = advance().range
        let subject: Node? = isKeyword("WHEN") || isKeyword("ELSE") || isKeyword("END") ? nil : try expression()
        var branches: [(when: Node, then: Node)] = []
        while take("WHEN") != nil {
            let when = try expression()
            _ = try expect("THEN")
            branches.append((when, try expression()))
        }
        if branches.isEmpty { throw unexpected("WHEN") }
        let otherwise: Node? = take("ELSE") != nil ? try expression() : nil
        let end = try expect("END")
        return .caseWhen(subject: subject, branches, otherwise: otherwise, all: start.through(end))
    }

    private static let castTargets: [String: CastTarget] = [
        "STRING": .string, "VARCHAR": .string, "DOUBLE": .double, "BIGINT": .integer, "INT": .integer,
        "INTEGER": .integer, "BOOLEAN": .boolean,
    ]

    private mutating func cast() throws(ExpressionError) -> Node {
        let start = advance().range
        _ = try expectSymbol("(")
        let operand = try expression()
        _ = try expect("AS")
        guard let word = peek.keyword, let target = Self.castTargets[word] else {
            throw unexpected("a type (STRING, VARCHAR, DOUBLE, BIGINT, INT, INTEGER, BOOLEAN)")
        }
        let targetRange = advance().range
        let end = try expectSymbol(")")
        return .cast(operand, target, target: targetRange, all: start.through(end))
    }

    private mutating func call() throws(ExpressionError) -> Node {
        let nameToken = advance()
        let name = nameToken.keyword ?? ""
        _ = advance()   // (
        var args: [Node] = []
        if !isSymbol(")") {
            args.append(try expression())
            if name == "SUBSTRING", isKeyword("FROM") {
                _ = advance()
                args.append(try expression())
                if take("FOR") != nil { args.append(try expression()) }
            }
            while isSymbol(",") {
                _ = advance()
                args.append(try expression())
            }
        }
        let end = try expectSymbol(")")
        return .call(name, args, name: nameToken.range, all: nameToken.range.through(end))
    }
}
