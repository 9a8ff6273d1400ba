import Testing
@testable import StreamCore

/// countBy lists freed with their row are reused without touching the lists still in use; a long
/// list turns into a table that keeps every count.
@Suite struct CountByArenaTests {
    @Test func releasedListsAreReusedAndOtherListsKeepTheirCounts() {
        var arena = CountByArena()
        var a = CountByArena.none, b = CountByArena.none
        for v in 0..<5 { a = arena.add(Int32(v), by: Int64(v + 1), head: a) }
        for v in 0..<3 { b = arena.add(Int32(10 + v), head: b) }
        b = arena.add(10, head: b)
        arena.release(head: a)
        var c = CountByArena.none
        for v in 0..<7 { c = arena.add(Int32(20 + v), by: 2, head: c) }

        var seenB: [Int32: Int64] = [:], seenC: [Int32: Int64] = [:]
        arena.forEach(head: b) { seenB[$0] = $1 }
        arena.forEach(head: c) { seenC[$0] = $1 }
        #expect(seenB == [10: 2, 11: 1, 12: 1])
        #expect(seenC == Dictionary(uniqueKeysWithValues: (0..<7).map { (Int32(20 + $0), Int64(2)) }))
        // Five of c's seven entries took a's freed ones: 8 entries before, 2 more after.
        #expect(arena.entryCount == 10)
    }

    @Test func removeAllForgetsEveryListIncludingTheFreedOnes() {
        var arena = CountByArena()
        var a = CountByArena.none, b = CountByArena.none
        for v in 0..<4 { a = arena.add(Int32(v), head: a) }
        for v in 0..<2 { b = arena.add(Int32(v), head: b) }
        arena.release(head: a)
        arena.removeAll()
        #expect(arena.entryCount == 0)
        // A freed entry left over from before would be handed out again and its old chain with it.
        var c = CountByArena.none
        for v in 0..<3 { c = arena.add(Int32(30 + v), by: 5, head: c) }
        var seen: [Int32: Int64] = [:]
        arena.forEach(head: c) { seen[$0] = $1 }
        #expect(seen == [30: 5, 31: 5, 32: 5])
        #expect(arena.entryCount == 3)
    }

    @Test func aLongListBecomesATableThatKeepsEveryCountAndGrows() {
        var arena = CountByArena()
        var a = CountByArena.none, short = CountByArena.none
        let values = 5_000
        for round in 1...2 {
            for v in 0..<values { a = arena.add(Int32(v), by: Int64(round), head: a) }
        }
        for v in 0..<3 { short = arena.add(Int32(v), head: short) }
        #expect(a < CountByArena.none, "a list of \(values) values is a table")
        #expect(arena.valueCount(head: a) == values)
        #expect(arena.count(of: 4_321, head: a) == 3)
        #expect(arena.count(of: Int32(values), head: a) == 0)
        var seen: [Int32: Int64] = [:]
        arena.forEach(head: a) { seen[$0] = $1 }
        #expect(seen == Dictionary(uniqueKeysWithValues: (0..<values).map { (Int32($0), Int64(3)) }))
        #expect(arena.valueCount(head: short) == 3)

        // A freed table's slot is taken by the next list that grows long; the first list is untouched.
        var b = CountByArena.none
        for v in 0...CountByArena.longestList { b = arena.add(Int32(v), head: b) }
        arena.release(head: b)
        var c = CountByArena.none
        for v in 0...CountByArena.longestList { c = arena.add(Int32(100 + v), by: 7, head: c) }
        #expect(c == b)
        #expect(arena.valueCount(head: c) == CountByArena.longestList + 1)
        #expect(arena.count(of: 100, head: c) == 7)
        #expect(arena.valueCount(head: a) == values)
    }
}
