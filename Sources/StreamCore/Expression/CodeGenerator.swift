/// Turns the typed tree into the flat program, tracking the deepest stack it needs.
struct CodeGenerator {
    private(set) var code: [Instruction] = []
    private(set) var constants: [Literal] = []
    private(set) var likes: [LikeMatcher] = []
    private(set) var regexes: [RegexProgram] = []
    /// The expression text of each place that can fail at run time, for the fault's reason.
    private(set) var sites: [String] = []
    private(set) var maxDepth = 0
    private var depth = 0
    private let chars: [Character]

    init(text: String) { chars = Array(text) }

    private mutating func emit(_ op: Instruction.Op, _ a: Int = 0, _ b: Int = 0, pops: Int = 0, pushes: Int = 0) {
        code.append(Instruction(op: op, a: Int32(a), b: Int32(b)))
        depth += pushes - pops
        maxDepth = max(maxDepth, depth)
    }

    private mutating func site(_ node: Typed) -> Int {
        let end = min(chars.count, node.range.offset + node.range.length)
        sites.append(String(chars[node.range.offset..<end]))
        return sites.count - 1
    }

    /// Emits a forward jump; returns its index to patch with `land`.
    private mutating func jump(_ op: Instruction.Op, pops: Int = 0) -> Int {
        emit(op, pops: pops)
        return code.count - 1
    }

    private mutating func land(_ jumps: [Int]) {
        for j in jumps { code[j].a = Int32(code.count) }
    }

    private static func comparison(_ op: BinaryOp) -> Instruction.Comparison {
        switch op {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        default: return .greaterOrEqual
        }
    }

    /// The typed instruction family for operands of `type` (NULL-typed operands use any).
    private static func family(_ type: ValueType, number: Instruction.Op, string: Instruction.Op,
                               boolean: Instruction.Op) -> Instruction.Op {
        type == .string ? string : type == .boolean ? boolean : number
    }

    mutating func generate(_ node: Typed) {
        let children = node.children
        switch node.op {
        case .constant(let literal):
            constants.append(literal)
            emit(.constant, constants.count - 1, pushes: 1)
        case .slot(let slot):
            emit(.load, slot, pushes: 1)
        case .negate:
            generate(children[0]); emit(.negate)
        case .not:
            generate(children[0]); emit(.not)
        case .arithmetic(let op):
            generate(children[0]); generate(children[1])
            let ops: [BinaryOp: Instruction.Op] = [.add: .add, .subtract: .subtract, .multiply: .multiply,
                                                   .divide: .divide, .modulo: .modulo]
            emit(ops[op]!, 0, site(node), pops: 1)
        case .concat:
            for child in children { generate(child) }
            emit(.concat, children.count, pops: children.count, pushes: 1)
        case .compare(let op):
            generate(children[0]); generate(children[1])
            let type = TypedOp.operandType(children)
            emit(Self.family(type, number: .compareNumber, string: .compareString, boolean: .compareBoolean),
                 Int(Self.comparison(op).rawValue), pops: 1)
        case .and, .or:
            generate(children[0])
            // SQL leaves the order open; cutting short lets `b <> 0 AND a / b > 1` guard the division.
            let shortCut = jump(node.op.isAnd ? .jumpIfFalse : .jumpIfTrue)
            generate(children[1])
            emit(node.op.isAnd ? .and : .or, pops: 1)
            land([shortCut])
        case .isNull(let negated):
            generate(children[0]); emit(.isNull, negated ? 1 : 0)
        case .inList(let negated):
            for child in children { generate(child) }
            let type = TypedOp.operandType(children)
            emit(Self.family(type, number: .inNumber, string: .inString, boolean: .inBoolean),
                 children.count - 1, negated ? 1 : 0, pops: children.count - 1)
        case .like(let matcher, let negated):
            generate(children[0])
            likes.append(matcher)
            emit(.like, likes.count - 1, negated ? 1 : 0)
        case .between(let negated):
            for child in children { generate(child) }
            let type = TypedOp.operandType(children)
            emit(Self.family(type, number: .betweenNumber, string: .betweenString, boolean: .betweenBoolean),
                 0, negated ? 1 : 0, pops: 2)
        case .searchedCase(let hasElse):
            caseBranches(subject: nil, Array(children), hasElse: hasElse)
        case .simpleCase(let hasElse):
            caseBranches(subject: children[0], Array(children.dropFirst()), hasElse: hasElse)
        case .coalesce:
            var exits: [Int] = []
            for child in children.dropLast() {
                generate(child)
                exits.append(jump(.jumpIfNotNull))
                depth -= 1   // on the fall-through path the NULL was popped
            }
            generate(children[children.count - 1])
            land(exits)
        case .cast(let target):
            generate(children[0])
            let ops: [CastTarget: Instruction.Op] = [.string: .castString, .double: .castDouble,
                                                     .integer: .castInteger, .boolean: .castBoolean]
            emit(ops[target]!, 0, site(node))
        case .lower: unary(.lower, children)
        case .upper: unary(.upper, children)
        case .trim: unary(.trim, children)
        case .charLength: unary(.charLength, children)
        case .abs: unary(.abs, children)
        case .floor: unary(.floor, children)
        case .ceil: unary(.ceil, children)
        case .round:
            generate(children[0]); generate(children[1])
            emit(.round, pops: 1)
        case .substring:
            for child in children { generate(child) }
            emit(.substring, children.count, pops: children.count - 1)
        case .splitIndex:
            for child in children { generate(child) }
            emit(.splitIndex, pops: 2)
        case .replace:
            for child in children { generate(child) }
            emit(.replace, pops: 2)
        case .regexpExtract(let program, let group):
            generate(children[0])
            regexes.append(program)
            emit(.regexpExtract, regexes.count - 1, group)
        }
    }

    private mutating func unary(_ op: Instruction.Op, _ children: [Typed]) {
        generate(children[0])
        emit(op)
    }

    /// `children`: when, then pairs and an optional else. With a subject each WHEN is `subject = when`.
    private mutating func caseBranches(subject: Typed?, _ children: [Typed], hasElse: Bool) {
        var exits: [Int] = []
        let pairs = (children.count - (hasElse ? 1 : 0)) / 2
        for i in 0..<pairs {
            let when = children[2 * i]
            if let subject {
                generate(subject); generate(when)
                let type = TypedOp.operandType([subject, when])
                emit(Self.family(type, number: .compareNumber, string: .compareString, boolean: .compareBoolean),
                     Int(Instruction.Comparison.equal.rawValue), pops: 1)
            } else {
                generate(when)
            }
            let next = jump(.jumpUnlessTrue, pops: 1)
            generate(children[2 * i + 1])
            exits.append(jump(.jump))
            depth -= 1   // the next branch starts without this branch's value
            land([next])
        }
        if hasElse {
            generate(children[children.count - 1])
        } else {
            constants.append(.null)
            emit(.constant, constants.count - 1, pushes: 1)
        }
        land(exits)
    }
}

private extension TypedOp {
    var isAnd: Bool {
        if case .and = self { return true }
        return false
    }
}
