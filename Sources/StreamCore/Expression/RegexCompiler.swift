/// Parses an RE2-style pattern and compiles it to a `RegexProgram`. Supported: literals, `.`,
/// classes `[a-z]` `[^...]`, `\d \w \s \D \W \S`, escapes, `^ $`, `* + ? {m} {m,} {m,n}` and their
/// lazy forms, `( )`, `(?: )`, `|`.
struct RegexCompiler {
    struct PatternError: Error {
        var offset: Int     // code points into the pattern
        var message: String
    }

    private indirect enum Piece {
        case char(UInt32), any, set(RegexProgram.CharSet), lineStart, lineEnd
        case group(Piece, capture: Int?)
        case sequence([Piece])
        case alternation([Piece])
        case repetition(Piece, min: Int, max: Int?, greedy: Bool)
    }

    private static let maxInstructions = 10_000
    private static let maxRepeat = 1000

    private let pattern: [UInt32]
    private var pos = 0
    private var groups = 0
    private var code: [RegexProgram.Instruction] = []
    private var sets: [RegexProgram.CharSet] = []

    static func compile(_ pattern: String) -> Result<RegexProgram, PatternError> {
        var compiler = RegexCompiler(pattern: pattern.unicodeScalars.map(\.value))
        do throws(PatternError) {
            let piece = try compiler.alternation()
            if compiler.pos < compiler.pattern.count { throw compiler.error("unmatched ')'") }
            compiler.emit(.save(0))
            try compiler.compile(piece)
            compiler.emit(.save(1))
            compiler.emit(.match)
            if compiler.code.count > maxInstructions { throw PatternError(offset: 0, message: "pattern too large") }
            return .success(RegexProgram(instructions: compiler.code, sets: compiler.sets, groupCount: compiler.groups))
        } catch {
            return .failure(error)
        }
    }

    private init(pattern: [UInt32]) { self.pattern = pattern }

    // MARK: parsing

    private func error(_ message: String, at offset: Int? = nil) -> PatternError {
        PatternError(offset: offset ?? pos, message: message)
    }

    private var peek: UInt32? { pos < pattern.count ? pattern[pos] : nil }

    private func isNext(_ c: Character) -> Bool { peek == c.unicodeScalars.first!.value }

    private mutating func alternation() throws(PatternError) -> Piece {
        var branches = [try sequence()]
        while isNext("|") {
            pos += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(PatternError) -> Piece {
        var items: [Piece] = []
        while let c = peek, c != 0x7C /* | */, c != 0x29 /* ) */ {
            let start = pos
            var atom = try self.atom()
            while let q = try quantifier(start) {
                if case .lineStart = atom { throw error("nothing to repeat", at: start) }
                if case .lineEnd = atom { throw error("nothing to repeat", at: start) }
                atom = .repetition(atom, min: q.min, max: q.max, greedy: q.greedy)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func quantifier(_ atomStart: Int) throws(PatternError) -> (min: Int, max: Int?, greedy: Bool)? {
        guard let c = peek else { return nil }
        var bounds: (Int, Int?)
        switch c {
        case 0x2A: bounds = (0, nil); pos += 1           // *
        case 0x2B: bounds = (1, nil); pos += 1           // +
        case 0x3F: bounds = (0, 1); pos += 1             // ?
        case 0x7B:                                       // {
            guard let counted = try counted() else { return nil }
            bounds = counted
        default: return nil
        }
        var greedy = true
        if isNext("?") {
            pos += 1
            greedy = false
        }
        return (bounds.0, bounds.1, greedy)
    }

    /// `{m}`, `{m,}`, `{m,n}`; anything else is a literal `{` (as RE2 does).
    private mutating func counted() throws(PatternError) -> (Int, Int?)? {
        let start = pos
        pos += 1
        func number() -> Int? {
            var value: Int?
            while let c = peek, c >= 0x30, c <= 0x39 {
                value = min((value ?? 0) * 10 + Int(c - 0x30), 100_000)
                pos += 1
            }
            return value
        }
        guard let low = number() else { pos = start; return nil }
        var high: Int? = low
        if isNext(",") {
            pos += 1
            high = number()
        }
        guard isNext("}") else { pos = start; return nil }
        pos += 1
        if let high, high < low { throw error("bad repetition {\(low),\(high)}", at: start) }
        if max(low, high ?? 0) > Self.maxRepeat { throw error("repetition count over \(Self.maxRepeat)", at: start) }
        return (low, high)
    }

    private mutating func atom() throws(PatternError) -> Piece {
        let start = pos
        let c = pattern[pos]
        pos += 1
        switch c {
        case 0x2E: return .any                       // .
        case 0x5E: return .lineStart                 // ^
        case 0x24: return .lineEnd                   // $
        case 0x28:                                   // (
            var capture: Int?
            if isNext("?") {
                guard pos + 1 < pattern.count, pattern[pos + 1] == 0x3A else {
                    throw error("unsupported group syntax", at: start)
                }
                pos += 2
            } else {
                groups += 1
                capture = groups
            }
            let inner = try alternation()
            guard isNext(")") else { throw error("missing ')'", at: start) }
            pos += 1
            return .group(inner, capture: capture)
        case 0x5B: return .set(try charClass(start))   // [
        case 0x5C:                                     // backslash
            let escaped = try escape(start)
            if let set = escaped.set { return .set(set) }
            return .char(escaped.char)
        case 0x2A, 0x2B, 0x3F: throw error("nothing to repeat", at: start)
        default: return .char(c)
        }
    }

    private static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    private static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    private static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]

    /// After a backslash: a class shorthand or one literal code point.
    private mutating func escape(_ start: Int) throws(PatternError) -> (char: UInt32, set: RegexProgram.CharSet?) {
        guard let c = peek else { throw error("trailing backslash", at: start) }
        pos += 1
        switch c {
        case 0x64: return (0, RegexProgram.CharSet(ranges: Self.digit, negated: false))   // d
        case 0x44: return (0, RegexProgram.CharSet(ranges: Self.digit, negated: true))    // D
        case 0x77: return (0, RegexProgram.CharSet(ranges: Self.word, negated: false))    // w
        case 0x57: return (0, RegexProgram.CharSet(ranges: Self.word, negated: true))     // W
        case 0x73: return (0, RegexProgram.CharSet(ranges: Self.space, negated: false))   // s
        case 0x53: return (0, RegexProgram.CharSet(ranges: Self.space, negated: true))    // S
        case 0x6E: return (0x0A, nil)                                                      // n
        case 0x74: return (0x09, nil)                                                      // t
        case 0x72: return (0x0D, nil)                                                      // r
        default:
            let isAlnum = (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
            if isAlnum { throw error("unsupported escape", at: start) }
            return (c, nil)
        }
    }

    private mutating func charClass(_ start: Int) throws(PatternError) -> RegexProgram.CharSet {
        var negated = false
        if isNext("^") {
            pos += 1
            negated = true
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek else { throw error("missing ']'", at: start) }
            if c == 0x5D, !first { pos += 1; break }     // ] (a leading one is literal)
            first = false
            let itemStart = pos
            pos += 1
            var low = c
            if c == 0x5C {
                let escaped = try escape(itemStart)
                if let set = escaped.set {
                    ranges += set.negated ? Self.complement(set.ranges) : set.ranges
                    continue
                }
                low = escaped.char
            }
            var high = low
            if isNext("-"), pos + 1 < pattern.count, pattern[pos + 1] != 0x5D {
                pos += 1
                high = pattern[pos]
                pos += 1
                if high == 0x5C {
                    let escaped = try escape(pos - 1)
                    if escaped.set != nil { throw error("bad range in class", at: itemStart) }
                    high = escaped.char
                }
                if high < low { throw error("bad range in class", at: itemStart) }
            }
            ranges.append(low...high)
        }
        return RegexProgram.CharSet(ranges: Self.merge(ranges), negated: negated)
    }

    private static func merge(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var merged: [ClosedRange<UInt32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }

    private static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in merge(ranges) {
            if r.lowerBound > next { result.append(next...(r.lowerBound - 1)) }
            next = r.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }

    // MARK: code

    private mutating func emit(_ instruction: RegexProgram.Instruction) { code.append(instruction) }

    private mutating func compile(_ piece: Piece) throws(PatternError) {
        if code.count > Self.maxInstructions { throw PatternError(offset: 0, message: "pattern too large") }
        switch piece {
        case .char(let c): emit(.char(c))
        case .any: emit(.any)
        case .lineStart: emit(.lineStart)
        case .lineEnd: emit(.lineEnd)
        case .set(let set):
            sets.append(set)
            emit(.set(sets.count - 1))
        case .group(let inner, let capture):
            if let capture { emit(.save(2 * capture)) }
            try compile(inner)
            if let capture { emit(.save(2 * capture + 1)) }
        case .sequence(let items):
            for item in items { try compile(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = code.count
                    emit(.split(split + 1, -1))
                    try compile(branch)
                    exits.append(code.count)
                    emit(.jump(-1))
                    code[split] = .split(split + 1, code.count)
                } else {
                    try compile(branch)
                }
            }
            for exit in exits { code[exit] = .jump(code.count) }
        case .repetition(let inner, let min, let max, let greedy):
            for _ in 0..<min { try compile(inner) }
            if let max {
                // Each optional copy skips all the rest when it is not taken: (x(x)?)? shape.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(code.count)
                    emit(.split(-1, -1))
                    try compile(inner)
                }
                for split in splits { code[split] = prioritized(split + 1, code.count, greedy) }
            } else {
                let loop = code.count
                emit(.split(-1, -1))
                try compile(inner)
                emit(.jump(loop))
                code[loop] = prioritized(loop + 1, code.count, greedy)
            }
        }
    }

    private func prioritized(_ body: Int, _ skip: Int, _ greedy: Bool) -> RegexProgram.Instruction {
        greedy ? .split(body, skip) : .split(skip, body)
    }
}
