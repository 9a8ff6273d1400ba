/// The parsed expression, before names and types are known. Every node keeps its text range.
indirect enum Node {
    case null(SourceRange)
    case boolean(Bool, SourceRange)
    case number(Double, SourceRange)
    case string(String, SourceRange)
    case name(FieldPath, SourceRange)
    case unary(UnaryOp, Node, op: SourceRange)
    case binary(BinaryOp, Node, Node, op: SourceRange)
    case isNull(Node, negated: Bool, op: SourceRange)
    case inList(Node, [Node], negated: Bool, op: SourceRange)
    case like(Node, pattern: Node, escape: Node?, negated: Bool, op: SourceRange)
    case between(Node, Node, Node, negated: Bool, op: SourceRange)
    /// `CASE [subject] WHEN a THEN b ... [ELSE e] END`; `all` runs from CASE to END.
    case caseWhen(subject: Node?, [(when: Node, then: Node)], otherwise: Node?, all: SourceRange)
    /// A function call; `SUBSTRING(s FROM a FOR b)` arrives here as `SUBSTRING(s, a, b)`.
    case call(String, [Node], name: SourceRange, all: SourceRange)
    case cast(Node, CastTarget, target: SourceRange, all: SourceRange)
    /// `( inner )`: kept so ranges (and fault messages) include the parentheses.
    case parenthesized(Node, all: SourceRange)

    /// The text this node covers.
    var range: SourceRange {
        switch self {
        case .null(let r), .boolean(_, let r), .number(_, let r), .string(_, let r), .name(_, let r):
            return r
        case .unary(_, let operand, let op):
            return op.through(operand.range)
        case .binary(_, let left, let right, _):
            return left.range.through(right.range)
        case .isNull(let operand, _, let op):
            return operand.range.through(op)
        case .inList(let operand, let items, _, let op):
            return operand.range.through(items.last?.range ?? op)
        case .like(let operand, let pattern, let escape, _, _):
            return operand.range.through((escape ?? pattern).range)
        case .between(let operand, _, let high, _, _):
            return operand.range.through(high.range)
        case .caseWhen(_, _, _, let all), .call(_, _, _, let all), .cast(_, _, _, let all), .parenthesized(_, let all):
            return all
        }
    }
}

enum UnaryOp: String { case negate = "-", not = "NOT" }

enum BinaryOp: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"

    var isArithmetic: Bool { [.add, .subtract, .multiply, .divide, .modulo].contains(self) }
    var isComparison: Bool { [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
}

/// A CAST target; BIGINT/INT keep a number but truncate it toward zero.
enum CastTarget: Equatable {
    case string, double, integer, boolean

    var type: ValueType {
        switch self {
        case .string: return .string
        case .double, .integer: return .number
        case .boolean: return .boolean
        }
    }
}

extension Node: CustomStringConvertible {
    /// Fully parenthesised form, so tests can check how the parser grouped an expression.
    var description: String {
        switch self {
        case .null: return "NULL"
        case .boolean(let b, _): return b ? "TRUE" : "FALSE"
        case .number(let n, _): return "\(n)"
        case .string(let s, _): return "'\(s)'"
        case .name(let path, _): return path.description
        case .unary(let op, let operand, _): return "(\(op.rawValue) \(operand))"
        case .binary(let op, let l, let r, _): return "(\(l) \(op.rawValue) \(r))"
        case .isNull(let operand, let negated, _): return "(\(operand) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let operand, let items, let negated, _):
            return "(\(operand) \(negated ? "NOT " : "")IN (\(items.map(\.description).joined(separator: ", "))))"
        case .like(let operand, let pattern, let escape, let negated, _):
            return "(\(operand) \(negated ? "NOT " : "")LIKE \(pattern)\(escape.map { " ESCAPE \($0)" } ?? ""))"
        case .between(let operand, let low, let high, let negated, _):
            return "(\(operand) \(negated ? "NOT " : "")BETWEEN \(low) AND \(high))"
        case .caseWhen(let subject, let branches, let otherwise, _):
            var text = "(CASE"
            if let subject { text += " \(subject)" }
            for branch in branches { text += " WHEN \(branch.when) THEN \(branch.then)" }
            if let otherwise { text += " ELSE \(otherwise)" }
            return text + " END)"
        case .call(let name, let args, _, _): return "\(name)(\(args.map(\.description).joined(separator: ", ")))"
        case .cast(let operand, let target, _, _): return "CAST(\(operand) AS \(target))"
        case .parenthesized(let inner, _): return inner.description
        }
    }
}
