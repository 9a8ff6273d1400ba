/// A compiled regular expression: a Thompson-NFA program for the Pike VM in `RegexMatcher.swift`.
/// Immutable, so one program serves every task thread; the VM's thread lists live in work space the
/// caller provides (`workCount` Ints, known from the program size at compile time).
final class RegexProgram: Sendable {
    enum Instruction: Sendable, Equatable {
        case char(UInt32)        // one code point
        case any                 // any code point but \n
        case set(Int)            // index into `sets`
        case split(Int, Int)     // try the first, then the second (the priority of captures)
        case jump(Int)
        case save(Int)           // record the position in capture slot n
        case lineStart, lineEnd  // ^ and $ (the whole input is one line)
        case match
    }

    /// A character class: sorted, merged code point ranges.
    struct CharSet: Sendable, Equatable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ c: UInt32) -> Bool {
            var low = 0, high = ranges.count
            while low < high {
                let mid = (low + high) / 2
                if ranges[mid].upperBound < c { low = mid + 1 } else { high = mid }
            }
            return (low < ranges.count && ranges[low].contains(c)) != negated
        }
    }

    let instructions: [Instruction]
    let sets: [CharSet]
    /// Groups, not counting the whole match (group 0).
    let groupCount: Int

    init(instructions: [Instruction], sets: [CharSet], groupCount: Int) {
        self.instructions = instructions
        self.sets = sets
        self.groupCount = groupCount
    }

    var slotCount: Int { 2 * (groupCount + 1) }

    /// Ints of work space one match needs: two thread lists (pcs, sparse index, captures), the
    /// capture scratch, the explicit follow stack and the best match's captures.
    var workCount: Int {
        let p = instructions.count
        return 2 * (2 * p + p * slotCount) + 2 * slotCount + 2 * (2 * p + 2)
    }
}
