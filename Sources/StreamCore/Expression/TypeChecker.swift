/// Resolves names and types the parsed expression, collecting every error rather than stopping at
/// the first. A node in error gets the NULL type, which fits everywhere, so one mistake is reported
/// once and not again by each enclosing operator.
///
/// Positions: operator errors point at the operator (`=` in `a = 'x'`), argument errors at the
/// argument, arity errors at the whole call, unknown names at the name.
struct TypeChecker {
    private let knownNames: [String]
    private let resolve: (FieldPath) -> NameBinding?
    private(set) var errors: [ExpressionError] = []
    private(set) var slots: Set<Int> = []

    init(knownNames: [String], resolve: @escaping (FieldPath) -> NameBinding?) {
        self.knownNames = knownNames
        self.resolve = resolve
    }

    private mutating func fail(_ range: SourceRange, _ message: String) {
        errors.append(ExpressionError(range, message))
    }

    private static func fits(_ type: ValueType, _ wanted: ValueType) -> Bool { type == wanted || type == .null }

    private static func compatible(_ a: ValueType, _ b: ValueType) -> Bool { a == b || a == .null || b == .null }

    /// Requires `node` to be `wanted` (or NULL); `what` names the place in the message.
    private mutating func require(_ node: Typed, _ wanted: ValueType, _ what: String) {
        if !Self.fits(node.type, wanted) { fail(node.range, "\(what) needs a \(wanted), got \(node.type)") }
    }

    mutating func check(_ node: Node) -> Typed {
        let range = node.range
        switch node {
        case .null: return Typed(op: .constant(.null), type: .null, range: range)
        case .boolean(let b, _): return Typed(op: .constant(.boolean(b)), type: .boolean, range: range)
        case .number(let n, _): return Typed(op: .constant(.number(n)), type: .number, range: range)
        case .string(let s, _): return Typed(op: .constant(.string(s)), type: .string, range: range)

        case .name(let path, _):
            guard let binding = resolve(path) else {
                fail(range, "unknown field \(path)\(suggestion(for: path.description))")
                return Typed(op: .constant(.null), type: .null, range: range)
            }
            slots.insert(binding.slot)
            return Typed(op: .slot(binding.slot), type: binding.type, range: range)

        case .unary(let op, let operand, let opRange):
            let inner = check(operand)
            switch op {
            case .negate:
                if !Self.fits(inner.type, .number) { fail(opRange, "cannot negate a \(inner.type)") }
                return Typed(op: .negate, type: .number, range: range, children: [inner])
            case .not:
                require(inner, .boolean, "NOT")
                return Typed(op: .not, type: .boolean, range: range, children: [inner])
            }

        case .binary(let op, let l, let r, let opRange):
            let left = check(l), right = check(r)
            let children = [left, right]
            switch op {
            case .and, .or:
                require(left, .boolean, op.rawValue)
                require(right, .boolean, op.rawValue)
                return Typed(op: op == .and ? .and : .or, type: .boolean, range: range, children: children)
            case .concat:
                if !Self.fits(left.type, .string) || !Self.fits(right.type, .string) {
                    fail(opRange, "|| needs strings, got \(left.type) and \(right.type)")
                }
                return Typed(op: .concat, type: .string, range: range, children: children)
            case _ where op.isArithmetic:
                if !Self.fits(left.type, .number) || !Self.fits(right.type, .number) {
                    let hint = op == .add && (left.type == .string || right.type == .string)
                        ? " (use || to concatenate strings)" : ""
                    fail(opRange, "cannot apply \(op.rawValue) to \(left.type) and \(right.type)\(hint)")
                }
                return Typed(op: .arithmetic(op), type: .number, range: range, children: children)
            default:
                compare(left, right, at: opRange)
                return Typed(op: .compare(op), type: .boolean, range: range, children: children)
            }

        case .isNull(let operand, let negated, _):
            return Typed(op: .isNull(negated: negated), type: .boolean, range: range, children: [check(operand)])

        case .inList(let operand, let items, let negated, _):
            let subject = check(operand)
            var children = [subject]
            for item in items {
                let typed = check(item)
                compare(subject, typed, at: typed.range)
                children.append(typed)
            }
            return Typed(op: .inList(negated: negated), type: .boolean, range: range, children: children)

        case .like(let operand, let pattern, let escape, let negated, let opRange):
            let subject = check(operand)
            require(subject, .string, "LIKE")
            guard case .string(let text, _) = pattern else {
                fail(pattern.range, "LIKE pattern must be a string literal")
                return Typed(op: .constant(.null), type: .boolean, range: range)
            }
            var escapeText: String?
            if let escape {
                guard case .string(let e, _) = escape else {
                    fail(escape.range, "ESCAPE must be a string literal")
                    return Typed(op: .constant(.null), type: .boolean, range: range)
                }
                escapeText = e
            }
            do throws(LikeMatcher.PatternError) {
                let matcher = try LikeMatcher(pattern: text, escape: escapeText)
                return Typed(op: .like(matcher, negated: negated), type: .boolean, range: range, children: [subject])
            } catch {
                switch error {
                case .escapeNotOneCharacter: fail(escape?.range ?? opRange, "ESCAPE must be one character")
                case .danglingEscape: fail(pattern.range, "LIKE pattern ends with its escape character")
                }
                return Typed(op: .constant(.null), type: .boolean, range: range)
            }

        case .between(let operand, let low, let high, let negated, let opRange):
            let children = [check(operand), check(low), check(high)]
            compare(children[0], children[1], at: opRange)
            compare(children[0], children[2], at: opRange)
            return Typed(op: .between(negated: negated), type: .boolean, range: range, children: children)

        case .caseWhen(let subject, let branches, let otherwise, _):
            var children: [Typed] = []
            var typedSubject: Typed?
            if let subject {
                typedSubject = check(subject)
                children.append(typedSubject!)
            }
            var results: [Typed] = []
            for branch in branches {
                let when = check(branch.when)
                if let typedSubject { compare(typedSubject, when, at: when.range) } else { require(when, .boolean, "WHEN") }
                let then = check(branch.then)
                children += [when, then]
                results.append(then)
            }
            if let otherwise {
                let typed = check(otherwise)
                children.append(typed)
                results.append(typed)
            }
            let type = unify(results, "CASE branches")
            let op: TypedOp = subject == nil ? .searchedCase(hasElse: otherwise != nil) : .simpleCase(hasElse: otherwise != nil)
            return Typed(op: op, type: type, range: range, children: children)

        case .cast(let operand, let target, _, _):
            return Typed(op: .cast(target), type: target.type, range: range, children: [check(operand)])

        case .parenthesized(let inner, _):
            var typed = check(inner)
            typed.range = range
            return typed

        case .call(let name, let args, let nameRange, _):
            return call(name, args.map { check($0) }, args, nameRange: nameRange, range: range)
        }
    }

    private mutating func compare(_ a: Typed, _ b: Typed, at range: SourceRange) {
        if !Self.compatible(a.type, b.type) { fail(range, "cannot compare \(a.type) with \(b.type)") }
    }

    /// The common type of values that may each be the result (CASE branches, COALESCE arguments).
    private mutating func unify(_ values: [Typed], _ what: String) -> ValueType {
        let type = TypedOp.operandType(values)
        for value in values where !Self.compatible(value.type, type) {
            fail(value.range, "\(what) mix \(type) and \(value.type)")
        }
        return type
    }

    private mutating func call(_ name: String, _ args: [Typed], _ nodes: [Node], nameRange: SourceRange,
                               range: SourceRange) -> Typed {
        func arity(_ allowed: ClosedRange<Int>) -> Bool {
            guard allowed.contains(args.count) else {
                let count = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)"
                    : allowed.upperBound == Int.max ? "at least \(allowed.lowerBound)"
                    : "\(allowed.lowerBound) to \(allowed.upperBound)"
                let noun = allowed == 1...1 ? "argument" : "arguments"
                fail(range, "\(name) takes \(count) \(noun), got \(args.count)")
                return false
            }
            return true
        }
        let invalid = Typed(op: .constant(.null), type: .null, range: range)
        func make(_ op: TypedOp, _ type: ValueType, _ children: [Typed]? = nil) -> Typed {
            Typed(op: op, type: type, range: range, children: children ?? args)
        }
        switch name {
        case "LOWER", "UPPER", "TRIM", "CHAR_LENGTH", "CHARACTER_LENGTH":
            guard arity(1...1) else { return invalid }
            require(args[0], .string, name)
            switch name {
            case "LOWER": return make(.lower, .string)
            case "UPPER": return make(.upper, .string)
            case "TRIM": return make(.trim, .string)
            default: return make(.charLength, .number)
            }
        case "ABS", "FLOOR", "CEIL", "CEILING":
            guard arity(1...1) else { return invalid }
            require(args[0], .number, name)
            return make(name == "ABS" ? .abs : name == "FLOOR" ? .floor : .ceil, .number)
        case "ROUND":
            guard arity(1...2) else { return invalid }
            for arg in args { require(arg, .number, name) }
            let digits = args.count == 2 ? args[1] : Typed(op: .constant(.number(0)), type: .number, range: range)
            return make(.round, .number, [args[0], digits])
        case "CONCAT":
            guard arity(1...Int.max) else { return invalid }
            for arg in args { require(arg, .string, name) }
            return make(.concat, .string)
        case "COALESCE":
            guard arity(1...Int.max) else { return invalid }
            return make(.coalesce, unify(args, "COALESCE arguments"))
        case "SUBSTRING":
            guard arity(2...3) else { return invalid }
            require(args[0], .string, name)
            for arg in args.dropFirst() { require(arg, .number, name) }
            return make(.substring, .string)
        case "SPLIT_INDEX":
            guard arity(3...3) else { return invalid }
            require(args[0], .string, name)
            require(args[1], .string, name)
            require(args[2], .number, name)
            return make(.splitIndex, .string)
        case "REPLACE":
            guard arity(3...3) else { return invalid }
            for arg in args { require(arg, .string, name) }
            return make(.replace, .string)
        case "REGEXP_EXTRACT":
            guard arity(2...3) else { return invalid }
            require(args[0], .string, name)
            return regexpExtract(args, nodes, range: range) ?? invalid
        default:
            fail(nameRange, "unknown function \(name)")
            return invalid
        }
    }

    private mutating func regexpExtract(_ args: [Typed], _ nodes: [Node], range: SourceRange) -> Typed? {
        guard case .string(let pattern, let patternRange) = nodes[1] else {
            fail(args[1].range, "REGEXP_EXTRACT pattern must be a string literal")
            return nil
        }
        let program: RegexProgram
        switch RegexCompiler.compile(pattern) {
        case .success(let compiled):
            program = compiled
        case .failure(let error):
            // Inside the quotes; exact unless the pattern contains doubled quotes before the error.
            let offset = min(patternRange.offset + 1 + error.offset, patternRange.offset + patternRange.length - 1)
            fail(SourceRange(offset: offset, length: 1), "bad pattern: \(error.message)")
            return nil
        }
        var group = 0
        if nodes.count == 3 {
            guard case .number(let n, let groupRange) = nodes[2], n == n.rounded(.towardZero), n >= 0 else {
                fail(args[2].range, "REGEXP_EXTRACT group must be a whole number literal")
                return nil
            }
            guard n <= Double(program.groupCount) else {
                fail(groupRange, "pattern has \(program.groupCount) group\(program.groupCount == 1 ? "" : "s"), not \(Int(n))")
                return nil
            }
            group = Int(n)
        }
        return Typed(op: .regexpExtract(program, group: group), type: .string, range: range, children: [args[0]])
    }

    /// " (did you mean X?)" when a known name is a small edit away.
    private func suggestion(for name: String) -> String {
        let limit = max(1, min(3, name.count / 3))
        var best: (name: String, distance: Int)?
        for known in knownNames {
            let d = Self.editDistance(Array(name), Array(known))
            if d <= limit, d < (best?.distance ?? Int.max) { best = (known, d) }
        }
        return best.map { " (did you mean \($0.name)?)" } ?? ""
    }

    /// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            before = previous
            previous = current
        }
        return previous[b.count]
    }
}
