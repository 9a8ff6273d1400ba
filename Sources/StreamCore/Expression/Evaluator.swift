/// The interpreter: one loop, one switch, a value stack in the arena's work space. Nothing on the
/// success path allocates or makes a String; faults build their reason only when thrown.
extension CompiledExpression {
    /// Evaluates against `slots` (the values of every bound slot for the current record; a value is
    /// of its binding's type or NULL). Strings it makes go into `arena`, valid until `arena.reset()`.
    public func evaluate(_ slots: UnsafePointer<ExprValue>, arena: inout ExprArena) throws(ExpressionFault) -> ExprValue {
        if let c = slotComparison {
            let value = slots[c.slot]
            if value.isNull || c.constant.isNull { return .null }
            return .boolean(Self.holds(c.comparison, Self.order(value, c.constant, c.op)))
        }
        let work = arena.workSpace(workBytes)
        let stack = work.bindMemory(to: ExprValue.self, capacity: stackDepth)
        let stackBytes = (stackDepth * MemoryLayout<ExprValue>.stride + 15) & ~15
        let regexWork = (work + stackBytes).assumingMemoryBound(to: Int.self)
        var sp = 0      // next free stack entry
        var pc = 0
        while pc < codeCount {
            let instruction = code[pc]
            pc += 1
            let a = Int(instruction.a)
            switch instruction.op {
            case .constant:
                stack[sp] = constants[a]; sp += 1
            case .load:
                stack[sp] = slots[a]; sp += 1
            case .negate:
                if !stack[sp - 1].isNull { stack[sp - 1].number = -stack[sp - 1].number }
            case .not:
                if !stack[sp - 1].isNull { stack[sp - 1] = .boolean(!stack[sp - 1].bool) }

            case .add, .subtract, .multiply, .divide, .modulo:
                sp -= 1
                let l = stack[sp - 1], r = stack[sp]
                if l.isNull || r.isNull { stack[sp - 1] = .null; continue }
                let result: Double
                switch instruction.op {
                case .add: result = l.number + r.number
                case .subtract: result = l.number - r.number
                case .multiply: result = l.number * r.number
                case .divide:
                    if r.number == 0 { throw fault("division by zero", instruction) }
                    result = l.number / r.number
                default:
                    if r.number == 0 { throw fault("modulo by zero", instruction) }
                    result = l.number.truncatingRemainder(dividingBy: r.number)
                }
                if !result.isFinite { throw fault("numeric overflow", instruction) }
                stack[sp - 1] = .number(result)

            case .concat:
                sp -= a
                if anyNull(stack + sp, a) { stack[sp] = .null } else {
                    stack[sp] = .string(StringFunctions.concat(stack + sp, count: a, arena: &arena))
                }
                sp += 1

            case .compareNumber, .compareString, .compareBoolean:
                sp -= 1
                let l = stack[sp - 1], r = stack[sp]
                if l.isNull || r.isNull { stack[sp - 1] = .null; continue }
                let order = Self.order(l, r, instruction.op)
                stack[sp - 1] = .boolean(Self.holds(Instruction.Comparison(rawValue: instruction.a)!, order))

            case .and, .or:
                sp -= 1
                let l = stack[sp - 1], r = stack[sp]
                let decisive = instruction.op == .or   // TRUE decides OR, FALSE decides AND
                if (!l.isNull && l.bool == decisive) || (!r.isNull && r.bool == decisive) {
                    stack[sp - 1] = .boolean(decisive)
                } else if l.isNull || r.isNull {
                    stack[sp - 1] = .null
                } else {
                    stack[sp - 1] = .boolean(!decisive)
                }
            case .jumpIfFalse:
                if stack[sp - 1].kind == .boolean, !stack[sp - 1].bool { pc = a }
            case .jumpIfTrue:
                if stack[sp - 1].kind == .boolean, stack[sp - 1].bool { pc = a }
            case .jumpUnlessTrue:
                sp -= 1
                if !(stack[sp].kind == .boolean && stack[sp].bool) { pc = a }
            case .jumpIfNotNull:
                if stack[sp - 1].isNull { sp -= 1 } else { pc = a }
            case .jump:
                pc = a
            case .isNull:
                stack[sp - 1] = .boolean(stack[sp - 1].isNull != (a == 1))

            case .inNumber, .inString, .inBoolean:
                sp -= a
                let subject = stack[sp - 1]
                stack[sp - 1] = Self.isIn(subject, stack + sp, a, instruction.op, negated: instruction.b == 1)
            case .betweenNumber, .betweenString, .betweenBoolean:
                sp -= 2
                let x = stack[sp - 1], low = stack[sp], high = stack[sp + 1]
                // x >= low AND x <= high, three-valued.
                let aboveLow: Bool? = x.isNull || low.isNull ? nil : Self.order(x, low, instruction.op) >= 0
                let belowHigh: Bool? = x.isNull || high.isNull ? nil : Self.order(x, high, instruction.op) <= 0
                var result: Bool?
                if aboveLow == false || belowHigh == false { result = false }
                else if let aboveLow, let belowHigh { result = aboveLow && belowHigh }
                stack[sp - 1] = result.map { .boolean($0 != (instruction.b == 1)) } ?? .null
            case .like:
                let s = stack[sp - 1]
                if !s.isNull { stack[sp - 1] = .boolean(likes[a].matches(s.string) != (instruction.b == 1)) }

            case .castString, .castDouble, .castInteger, .castBoolean:
                stack[sp - 1] = try cast(stack[sp - 1], instruction, &arena)

            case .lower, .upper:
                let s = stack[sp - 1]
                if !s.isNull { stack[sp - 1] = .string(StringFunctions.mapCase(s.string, upper: instruction.op == .upper, arena: &arena)) }
            case .trim:
                let s = stack[sp - 1]
                if !s.isNull { stack[sp - 1] = .string(StringFunctions.trim(s.string)) }
            case .charLength:
                let s = stack[sp - 1]
                if !s.isNull { stack[sp - 1] = .number(Double(StringFunctions.charLength(s.string))) }
            case .abs:
                stack[sp - 1].number = Swift.abs(stack[sp - 1].number)
            case .floor:
                stack[sp - 1].number = stack[sp - 1].number.rounded(.down)
            case .ceil:
                stack[sp - 1].number = stack[sp - 1].number.rounded(.up)
            case .round:
                sp -= 1
                let x = stack[sp - 1], digits = stack[sp]
                if x.isNull || digits.isNull { stack[sp - 1] = .null; continue }
                stack[sp - 1] = .number(Self.round(x.number, digits: digits.number))
            case .substring:
                sp -= a
                if anyNull(stack + sp, a) { stack[sp] = .null } else {
                    stack[sp] = .string(StringFunctions.substring(stack[sp].string, start: stack[sp + 1].number,
                                                                  length: a == 3 ? stack[sp + 2].number : nil))
                }
                sp += 1
            case .splitIndex:
                sp -= 2
                let s = stack[sp - 1], delimiter = stack[sp], index = stack[sp + 1]
                if s.isNull || delimiter.isNull || index.isNull { stack[sp - 1] = .null; continue }
                stack[sp - 1] = StringFunctions.splitIndex(s.string, by: delimiter.string, index.number).map { .string($0) } ?? .null
            case .replace:
                sp -= 2
                let s = stack[sp - 1], search = stack[sp], replacement = stack[sp + 1]
                if s.isNull || search.isNull || replacement.isNull { stack[sp - 1] = .null; continue }
                stack[sp - 1] = .string(StringFunctions.replace(search.string, in: s.string, with: replacement.string, arena: &arena))
            case .regexpExtract:
                let s = stack[sp - 1]
                guard !s.isNull else { continue }
                let matcher = RegexMatcher(regexes[a], work: regexWork)
                if let range = matcher.firstMatch(s.string, group: Int(instruction.b)) {
                    stack[sp - 1] = .string(UnsafeRawBufferPointer(rebasing: s.string[range]))
                } else {
                    stack[sp - 1] = .null
                }
            }
        }
        return stack[0]
    }

    @inline(__always)
    private func anyNull(_ values: UnsafeMutablePointer<ExprValue>, _ count: Int) -> Bool {
        for i in 0..<count where values[i].isNull { return true }
        return false
    }

    /// -1, 0, 1 for two non-NULL values of the family `op` belongs to.
    @inline(__always)
    private static func order(_ l: ExprValue, _ r: ExprValue, _ op: Instruction.Op) -> Int {
        switch op {
        case .compareString, .inString, .betweenString:
            return StringFunctions.compare(l.string, r.string)
        case .compareBoolean, .inBoolean, .betweenBoolean:
            return l.bool == r.bool ? 0 : l.bool ? 1 : -1
        default:
            return l.number < r.number ? -1 : l.number > r.number ? 1 : 0
        }
    }

    @inline(__always)
    private static func holds(_ comparison: Instruction.Comparison, _ order: Int) -> Bool {
        switch comparison {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }

    /// SQL IN: TRUE on a match; otherwise NULL if the subject or any item is NULL, else FALSE.
    private static func isIn(_ subject: ExprValue, _ items: UnsafeMutablePointer<ExprValue>, _ count: Int,
                             _ op: Instruction.Op, negated: Bool) -> ExprValue {
        if subject.isNull { return .null }
        var sawNull = false
        for i in 0..<count {
            if items[i].isNull { sawNull = true; continue }
            if order(subject, items[i], op) == 0 { return .boolean(!negated) }
        }
        return sawNull ? .null : .boolean(negated)
    }

    /// Half away from zero at `digits` decimals (negative: tens, hundreds...). When scaling would
    /// overflow, the value has no digits at that place and stays as it is.
    private static func round(_ x: Double, digits: Double) -> Double {
        let d = Int(max(-400, min(400, digits.rounded(.towardZero))))
        var scale = 1.0
        for _ in 0..<Swift.abs(d) { scale *= 10 }
        if d >= 0 {
            let scaled = x * scale
            guard scaled.isFinite, scale.isFinite else { return x }
            return scaled.rounded(.toNearestOrAwayFromZero) / scale
        }
        guard scale.isFinite else { return 0 }
        return (x / scale).rounded(.toNearestOrAwayFromZero) * scale
    }

    private func cast(_ v: ExprValue, _ instruction: Instruction, _ arena: inout ExprArena) throws(ExpressionFault) -> ExprValue {
        if v.isNull { return .null }
        switch instruction.op {
        case .castString:
            switch v.kind {
            case .number: return .string(NumberText.format(v.number, into: &arena))
            case .boolean: return .string(StringFunctions.staticText(v.bool ? "TRUE" : "FALSE"))
            default: return v
            }
        case .castBoolean:
            switch v.kind {
            case .number: return .boolean(v.number != 0)
            case .string:
                guard let b = StringFunctions.parseBoolean(v.string) else { throw castFault(v, "BOOLEAN", instruction) }
                return .boolean(b)
            default: return v
            }
        default:
            let integer = instruction.op == .castInteger
            var n: Double
            switch v.kind {
            case .boolean: n = v.bool ? 1 : 0
            case .string:
                guard let parsed = NumberText.parse(v.string, arena: &arena) else {
                    throw castFault(v, integer ? "BIGINT" : "DOUBLE", instruction)
                }
                n = parsed
            default: n = v.number
            }
            if integer { n = n.rounded(.towardZero) }
            return .number(n)
        }
    }

    // MARK: faults (the only place that builds Strings)

    private func fault(_ what: String, _ instruction: Instruction) -> ExpressionFault {
        ExpressionFault(reason: "\(what) in `\(sites[Int(instruction.b)])`")
    }

    private func castFault(_ v: ExprValue, _ target: String, _ instruction: Instruction) -> ExpressionFault {
        let text = String(decoding: v.string, as: UTF8.self)
        return ExpressionFault(reason: "cannot cast '\(text)' to \(target) in `\(sites[Int(instruction.b)])`")
    }
}
