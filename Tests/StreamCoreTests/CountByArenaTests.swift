import Testing
@testable import StreamCore

/// countBy lists freed with their row are reused without touching the lists still in use.
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
}
