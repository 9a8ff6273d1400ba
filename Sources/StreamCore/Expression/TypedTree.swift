/// The checked expression: names resolved to slots, functions and operators to what they compute,
/// LIKE and regex patterns compiled. The code generator walks it once.
struct Typed {
    var op: TypedOp
    var type: ValueType
    var range: SourceRange
    var children: [Typed] = []
}

enum Literal {
    case null, boolean(Bool), number(Double), string(String)
}

enum TypedOp {
    case constant(Literal)
    case slot(Int)
    case negate, not
    case arithmetic(BinaryOp)                 // children: left, right
    case concat                               // || and CONCAT: children, any count
    case compare(BinaryOp)                    // children: left, right
    case and, or
    case isNull(negated: Bool)
    case inList(negated: Bool)                // children: operand, items...
    case like(LikeMatcher, negated: Bool)     // children: operand
    case between(negated: Bool)               // children: operand, low, high
    case searchedCase(hasElse: Bool)          // children: when, then, ..., [else]
    case simpleCase(hasElse: Bool)            // children: subject, when, then, ..., [else]
    case coalesce
    case cast(CastTarget)
    case lower, upper, trim, charLength, abs, floor, ceil
    case round                                // children: value, digits
    case substring                            // children: string, start, [length]
    case splitIndex                           // children: string, delimiter, index
    case replace                              // children: string, search, replacement
    case regexpExtract(RegexProgram, group: Int)  // children: string

    /// The common type compared by a node whose operands must agree (comparisons, IN, BETWEEN, CASE x).
    static func operandType(_ nodes: [Typed]) -> ValueType {
        nodes.first { $0.type != .null }?.type ?? .null
    }
}
