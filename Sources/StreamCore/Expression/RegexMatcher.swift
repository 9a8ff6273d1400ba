/// The Pike VM: runs every NFA thread in lock step over the input, one code point at a time, so a
/// match costs O(input × program) and never backtracks. Threads are kept in priority order and a
/// thread reaching `match` cuts off those below it, which gives leftmost, first-alternative-wins
/// captures like RE2 and Perl. All state lives in the caller's work space: nothing is allocated.
struct RegexMatcher {
    private let program: RegexProgram
    private let work: UnsafeMutablePointer<Int>

    /// `work` must hold `program.workCount` Ints.
    init(_ program: RegexProgram, work: UnsafeMutablePointer<Int>) {
        self.program = program
        self.work = work
    }

    /// A thread list: pcs in priority order, a sparse index for "already added", captures per thread.
    /// Epsilon instructions are listed too (so loops end) but never step.
    private struct Threads {
        var pcs: UnsafeMutablePointer<Int>
        var sparse: UnsafeMutablePointer<Int>
        var caps: UnsafeMutablePointer<Int>
        var count = 0

        @inline(__always) func contains(_ pc: Int) -> Bool {
            let i = sparse[pc]
            return i >= 0 && i < count && pcs[i] == pc
        }
    }

    /// Finds the leftmost match in `input`; returns the byte range of group `group`, nil when there is
    /// no match or the group took no part in it.
    func firstMatch(_ input: UnsafeRawBufferPointer, group: Int) -> Range<Int>? {
        let p = program.instructions.count
        let slots = program.slotCount
        var current = Threads(pcs: work, sparse: work + p, caps: work + 2 * p)
        var next = Threads(pcs: work + 2 * p + p * slots, sparse: work + 3 * p + p * slots,
                           caps: work + 4 * p + p * slots)
        let scratch = work + 2 * (2 * p + p * slots)
        let best = scratch + slots
        let stack = best + slots
        var matched = false
        var pos = 0
        let end = input.count
        while true {
            if !matched {
                for s in 0..<slots { scratch[s] = -1 }
                add(&current, pc: 0, at: pos, caps: scratch, stack: stack, input: end)
            }
            if current.count == 0 { break }
            let (c, width) = pos < end ? Self.decode(input, pos) : (0, 0)
            next.count = 0
            threads: for t in 0..<current.count {
                let caps = current.caps + t * slots
                switch program.instructions[current.pcs[t]] {
                case .match:
                    for s in 0..<slots { best[s] = caps[s] }
                    matched = true
                    break threads           // lower-priority threads lose
                case .char(let want):
                    if width > 0, c == want { step(&next, current.pcs[t], caps, pos + width, scratch, stack, end) }
                case .any:
                    if width > 0, c != 0x0A { step(&next, current.pcs[t], caps, pos + width, scratch, stack, end) }
                case .set(let i):
                    if width > 0, program.sets[i].contains(c) {
                        step(&next, current.pcs[t], caps, pos + width, scratch, stack, end)
                    }
                default:
                    break   // epsilon instructions never sit in a list
                }
            }
            swap(&current, &next)
            if width == 0 { break }
            pos += width
        }
        // The final list may still hold a thread at `match` (reached by consuming the last code point).
        if !matched { return nil }
        let start = best[2 * group], stop = best[2 * group + 1]
        return start >= 0 && stop >= 0 ? start..<stop : nil
    }

    @inline(__always)
    private func step(_ list: inout Threads, _ pc: Int, _ caps: UnsafeMutablePointer<Int>, _ pos: Int,
                      _ scratch: UnsafeMutablePointer<Int>, _ stack: UnsafeMutablePointer<Int>, _ end: Int) {
        for s in 0..<program.slotCount { scratch[s] = caps[s] }
        add(&list, pc: pc + 1, at: pos, caps: scratch, stack: stack, input: end)
    }

    /// Adds the thread at `pc` and every thread its epsilon moves reach, depth first in priority
    /// order, with an explicit stack: an entry is a pc (>= 0) or a capture to restore (-slot-1, old).
    private func add(_ list: inout Threads, pc: Int, at pos: Int, caps: UnsafeMutablePointer<Int>,
                     stack: UnsafeMutablePointer<Int>, input end: Int) {
        let slots = program.slotCount
        var depth = 0
        push(stack, &depth, pc, 0)
        while depth > 0 {
            depth -= 1
            let entry = stack[2 * depth]
            if entry < 0 {
                caps[-entry - 1] = stack[2 * depth + 1]
                continue
            }
            if list.contains(entry) { continue }
            list.sparse[entry] = list.count
            list.pcs[list.count] = entry
            list.count += 1
            switch program.instructions[entry] {
            case .jump(let target):
                push(stack, &depth, target, 0)
            case .split(let first, let second):
                push(stack, &depth, second, 0)
                push(stack, &depth, first, 0)
            case .save(let slot):
                push(stack, &depth, -slot - 1, caps[slot])
                caps[slot] = pos
                push(stack, &depth, entry + 1, 0)
            case .lineStart:
                if pos == 0 { push(stack, &depth, entry + 1, 0) }
            case .lineEnd:
                if pos == end { push(stack, &depth, entry + 1, 0) }
            default:
                // A consuming instruction or match: the thread proper, with its captures.
                let target = list.caps + (list.count - 1) * slots
                for s in 0..<slots { target[s] = caps[s] }
            }
        }
    }

    @inline(__always)
    private func push(_ stack: UnsafeMutablePointer<Int>, _ depth: inout Int, _ entry: Int, _ value: Int) {
        stack[2 * depth] = entry
        stack[2 * depth + 1] = value
        depth += 1
    }

    /// UTF-8 decoding without validation beyond lengths: a stray byte stands for itself.
    @inline(__always)
    static func decode(_ input: UnsafeRawBufferPointer, _ pos: Int) -> (UInt32, Int) {
        let b0 = UInt32(input[pos])
        if b0 < 0x80 { return (b0, 1) }
        let left = input.count - pos
        func cont(_ i: Int) -> UInt32 { UInt32(input[pos + i]) & 0x3F }
        if b0 >= 0xF0, left >= 4 { return (((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4) }
        if b0 >= 0xE0, left >= 3 { return (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3) }
        if b0 >= 0xC0, left >= 2 { return (((b0 & 0x1F) << 6) | cont(1), 2) }
        return (b0, 1)
    }
}
