import Testing
@testable import BSSTools

@Suite("Reference event-time parsing (docs/bss-jobs.md §7)")
struct RefEventTimeTests {
    @Test("Accepted forms: Z, offsets, optional fraction, lower case; digits past the third truncated")
    func accepted() {
        let expected = tenOClock + 123
        #expect(RefEventTime.parse("2025-11-04T10:00:00.123Z") == expected)
        #expect(RefEventTime.parse("2025-11-04t10:00:00.123z") == expected)
        #expect(RefEventTime.parse("2025-11-04T11:00:00.123+01:00") == expected)
        #expect(RefEventTime.parse("2025-11-04T04:30:00.123-05:30") == expected)
        #expect(RefEventTime.parse("2025-11-04T10:00:00.123999Z") == expected)
        #expect(RefEventTime.parse("2025-11-04T10:00:00.1Z") == tenOClock + 100)
        #expect(RefEventTime.parse("2025-11-04T10:00:00Z") == tenOClock)
        #expect(RefEventTime.parse("2024-02-29T00:00:00Z") == 1_709_164_800_000)
    }

    @Test("Rejected forms: space for T, second 60, no offset, impossible dates, empty fraction")
    func rejected() {
        for text in ["2025-11-04 10:00:00Z", "2025-11-04T10:00:60Z", "2025-11-04T10:00:00", "2025-11-04T10:00:00.Z",
                     "2025-02-29T10:00:00Z", "2025-13-01T10:00:00Z", "2025-11-04T24:00:00Z", "2025-11-04T10:00:00+0100",
                     "2025-11-04T10:00:00+01:60", "2025-11-04T10:00Z", "yesterday"] {
            #expect(RefEventTime.parse(text) == nil, "\(text)")
        }
    }

    @Test("Output times are UTC with milliseconds")
    func format() {
        #expect(RefEventTime.format(tenOClock + 5 * minute) == "2025-11-04T10:05:00.000Z")
        #expect(RefEventTime.format(-1) == "1969-12-31T23:59:59.999Z")
    }
}
