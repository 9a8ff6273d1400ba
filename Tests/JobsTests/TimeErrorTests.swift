import Jobs
import StreamCore
import Testing

/// Errors in durations, windows and the watermark.
@Suite struct TimeErrorTests {
    @Test("a duration in words is rejected with the accepted forms")
    func durationInWords() {
        let error = Fixture.error(Fixture.replacing("size: 1m", with: "size: 5 minutes"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 41, reason:
            "steps[0].window.size: expected a duration like 500ms, 10s, 5m or 1h, got \"5 minutes\""))
        #expect(error?.description
            == "jobs.yaml:12:41: steps[0].window.size: expected a duration like 500ms, 10s, 5m or 1h, got \"5 minutes\"")
    }

    @Test("a bare number is not a duration: the unit is required")
    func durationWithoutUnit() {
        let error = Fixture.error(Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: 5000"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 10, column: 36, reason:
            "source.watermark.outOfOrderness: expected a duration like 500ms, 10s, 5m or 1h, got 5000"))
    }

    @Test("a fractional or compound duration is rejected")
    func fractionalDuration() {
        for written in ["1.5s", "1m30s", "10 s", "10S", "s"] {
            let error = Fixture.error(Fixture.replacing("size: 1m", with: "size: \(written)"))
            #expect(error?.reason == "steps[0].window.size: expected a duration like 500ms, 10s, 5m or 1h, got \"\(written)\"")
        }
    }

    @Test("a negative allowed lateness is rejected at its value")
    func negativeLateness() {
        let error = Fixture.error(Fixture.replacing("size: 1m }", with: "size: 1m, allowedLateness: -5s }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 62,
                                            reason: "steps[0].window.allowedLateness: must not be negative, got \"-5s\""))
    }

    @Test("a negative out-of-orderness is rejected at its value")
    func negativeOutOfOrderness() {
        let error = Fixture.error(Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: -1s"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 10, column: 36,
                                            reason: "source.watermark.outOfOrderness: must not be negative, got \"-1s\""))
    }

    @Test("a zero window size is rejected; zero lateness and out-of-orderness are not")
    func zeroSize() {
        let error = Fixture.error(Fixture.replacing("size: 1m", with: "size: 0s"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 41,
                                            reason: "steps[0].window.size: must be greater than 0, got \"0s\""))
        let zeros = Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: 0ms")
            .replacingOccurrences(of: "size: 1m", with: "size: 1m, allowedLateness: 0s")
        #expect(throws: Never.self) { try JobDefinitionLoader.load(yaml: zeros, file: Fixture.file) }
    }

    @Test("a sliding window whose size is not a multiple of its slide is rejected at the size")
    func slideNotDividingSize() {
        let error = Fixture.error(Fixture.replacing("kind: tumbling, size: 1m", with: "kind: sliding, size: 10m, slide: 3m"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 40,
                                            reason: "steps[0].window.size: must be a positive multiple of slide (3m), got \"10m\""))
    }

    @Test("a sliding window with a slide longer than its size is rejected")
    func slideLongerThanSize() {
        let error = Fixture.error(Fixture.replacing("kind: tumbling, size: 1m", with: "kind: sliding, size: 1m, slide: 2m"))
        #expect(error?.reason == "steps[0].window.size: must be a positive multiple of slide (2m), got \"1m\"")
    }

    @Test("a sliding window without a slide is rejected at the window")
    func slidingWithoutSlide() {
        let error = Fixture.error(Fixture.replacing("kind: tumbling", with: "kind: sliding"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 17,
                                            reason: "steps[0].window: missing required key \"slide\" (a sliding window needs one)"))
    }

    @Test("a slide on a tumbling window is rejected at the slide")
    func slideOnTumbling() {
        let error = Fixture.error(Fixture.replacing("size: 1m", with: "size: 1m, slide: 1m"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 52, reason:
            "steps[0].window.slide: a tumbling window has no slide (it slides by its size); use kind: sliding for overlapping windows"))
    }

    @Test("a session window takes a gap and no size; a gap on another kind is rejected")
    func sessionWindow() throws {
        let yaml = Fixture.replacing("kind: tumbling, size: 1m", with: "kind: session, gap: 30s, allowedLateness: 1m")
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.window?.window == .session(gapMs: 30_000, allowedLatenessMs: 60_000))
        let withSize = Fixture.error(Fixture.replacing("kind: tumbling, size: 1m", with: "kind: session, gap: 30s, size: 1m"))
        #expect(withSize?.reason == "steps[0].window.size: a session window has no size: it lasts while records come within its gap")
        let withoutGap = Fixture.error(Fixture.replacing("kind: tumbling, size: 1m", with: "kind: session"))
        #expect(withoutGap == JobDefinitionError(file: "jobs.yaml", line: 12, column: 17, reason:
            "steps[0].window: missing required key \"gap\" (a session window closes after a gap without records)"))
        let gapOnTumbling = Fixture.error(Fixture.replacing("size: 1m", with: "size: 1m, gap: 1m"))
        #expect(gapOnTumbling?.reason == "steps[0].window.gap: only a session window has a gap; a tumbling window has a size")
    }

    @Test("an idle timeout of zero is rejected, pointing to off")
    func zeroIdleTimeout() {
        let error = Fixture.error(Fixture.replacing("outOfOrderness: 5s", with: "outOfOrderness: 5s, idleTimeout: 0s"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 10, column: 53,
                                            reason: "source.watermark.idleTimeout: must be greater than 0, got \"0s\" (write off to disable)"))
    }

    @Test("a zero checkpoint interval is rejected")
    func zeroCheckpointInterval() {
        let error = Fixture.error(Fixture.job + "\n    checkpointInterval: 0s")
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 19, column: 25,
                                            reason: "checkpointInterval: must be greater than 0, got \"0s\""))
    }
}
