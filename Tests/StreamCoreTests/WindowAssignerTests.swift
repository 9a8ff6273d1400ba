import Testing
@testable import StreamCore

@Suite struct WindowAssignerTests {
    @Test func tumblingWindowStartsAtTheEpochAlignedBoundaryBelowTheRecord() {
        let a = WindowAssigner(.tumbling(sizeMs: 5 * minute))
        #expect(a.firstStart(containing: 7 * minute + 1) == 5 * minute)
        #expect(a.lastStart(containing: 7 * minute + 1) == 5 * minute)
    }

    @Test func recordExactlyOnABoundaryBelongsToTheWindowStartingThere() {
        let a = WindowAssigner(.tumbling(sizeMs: 5 * minute))
        #expect(a.firstStart(containing: 10 * minute) == 10 * minute)
        #expect(a.firstStart(containing: 10 * minute - 1) == 5 * minute)
    }

    @Test func slidingRecordBelongsToSizeOverSlideWindows() {
        let a = WindowAssigner(.sliding(sizeMs: 10 * minute, slideMs: minute))
        let t = 30 * minute + 5
        #expect(a.windowsPerRecord == 10)
        #expect(a.lastStart(containing: t) == 30 * minute)
        #expect(a.firstStart(containing: t) == 21 * minute)
    }

    @Test func negativeTimesFloorTowardsMinusInfinity() {
        let a = WindowAssigner(.tumbling(sizeMs: 1000))
        #expect(a.lastStart(containing: -1) == -1000)
        #expect(a.lastStart(containing: -1000) == -1000)
    }

    @Test func windowIsLateOnceTheWatermarkPassesEndMinusOnePlusLateness() {
        let a = WindowAssigner(.tumbling(sizeMs: 1000, allowedLatenessMs: 500))
        #expect(!a.isLate(end: 1000, watermark: 1498))
        #expect(a.isLate(end: 1000, watermark: 1499))
    }
}

@Suite struct PartitionWatermarkTests {
    @Test func startsAtMinusInfinityAndFollowsTheLargestTimeMinusBoundMinusOne() {
        var w = PartitionWatermark(outOfOrdernessMs: 5_000)
        #expect(w.current == Int64.min)
        let moved = w.observe(eventTime: 10_000)
        #expect(moved)
        #expect(w.current == 4_999)
        let movedBack = w.observe(eventTime: 9_000)
        #expect(!movedBack)
        #expect(w.current == 4_999)
    }

    @Test func neverMovesBackwards() {
        var w = PartitionWatermark(outOfOrdernessMs: 0, current: 100)
        let moved = w.advance(to: 50)
        #expect(!moved)
        #expect(w.current == 100)
    }
}
