/// A checked, compiled expression: immutable after compile, so one instance may serve every task
/// thread (each with its own `ExprArena`, which also holds the evaluation's stack).
public final class CompiledExpression: @unchecked Sendable {
    public let text: String
    /// The result type (.null only for a bare NULL literal).
    public let type: ValueType
    /// Every slot it reads, sorted, unique.
    public let slots: [Int]
    /// When the whole expression is one name, its slot: callers read the slot instead of evaluating.
    public let singleSlot: Int?

    let code: UnsafeMutablePointer<Instruction>
    let codeCount: Int
    let constants: UnsafeMutablePointer<ExprValue>
    /// The bytes of string literals, which constants view.
    private let literalBytes: UnsafeMutableRawPointer
    let likes: [LikeMatcher]
    let regexes: [RegexProgram]
    let sites: [String]
    let stackDepth: Int
    /// Bytes of arena work space per evaluation: the value stack, then the largest regex's lists.
    let workBytes: Int
    /// `name OP literal`, the commonest condition (`data.status = 'CREATED'`): evaluated without
    /// the general loop. nil for any other expression.
    let slotComparison: (slot: Int, constant: ExprValue, op: Instruction.Op, comparison: Instruction.Comparison)?

    init(text: String, type: ValueType, slots: [Int], singleSlot: Int?, generator: CodeGenerator) {
        self.text = text
        self.type = type
        self.slots = slots
        self.singleSlot = singleSlot
        codeCount = generator.code.count
        code = .allocate(capacity: max(1, codeCount))
        code.initialize(from: generator.code, count: codeCount)

        let literals = generator.constants
        var byteCount = 0
        for case .string(let s) in literals { byteCount += s.utf8.count }
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 1)
        literalBytes = bytes
        let values = UnsafeMutablePointer<ExprValue>.allocate(capacity: max(1, literals.count))
        constants = values
        var at = 0
        for (i, literal) in literals.enumerated() {
            let value: ExprValue
            switch literal {
            case .null: value = .null
            case .boolean(let b): value = .boolean(b)
            case .number(let n): value = .number(n)
            case .string(let s):
                let utf8 = Array(s.utf8)
                let start = bytes + at
                utf8.withUnsafeBytes { if let source = $0.baseAddress { start.copyMemory(from: source, byteCount: $0.count) } }
                value = .string(UnsafeRawBufferPointer(start: start, count: utf8.count))
                at += utf8.count
            }
            (values + i).initialize(to: value)
        }
        likes = generator.likes
        regexes = generator.regexes
        sites = generator.sites
        stackDepth = max(1, generator.maxDepth)
        let stackBytes = (stackDepth * MemoryLayout<ExprValue>.stride + 15) & ~15
        workBytes = stackBytes + (regexes.map(\.workCount).max() ?? 0) * MemoryLayout<Int>.stride
        let program = generator.code
        if program.count == 3, program[0].op == .load, program[1].op == .constant,
           [.compareNumber, .compareString, .compareBoolean].contains(program[2].op),
           let comparison = Instruction.Comparison(rawValue: program[2].a) {
            slotComparison = (Int(program[0].a), values[Int(program[1].a)], program[2].op, comparison)
        } else {
            slotComparison = nil
        }
    }

    deinit {
        code.deallocate()
        constants.deallocate()
        literalBytes.deallocate()
    }

    /// A filter's view: true only when the result is TRUE (NULL and FALSE are false).
    @inline(__always)
    public func isTrue(_ slots: UnsafePointer<ExprValue>, arena: inout ExprArena) throws(ExpressionFault) -> Bool {
        let value = try evaluate(slots, arena: &arena)
        return value.kind == .boolean && value.bool
    }
}
