import Testing
@testable import StreamCore

private func parse(_ s: String) -> Int64? {
    Array(s.utf8).withUnsafeBytes { RFC3339.parseMillis($0) }
}

@Suite struct RFC3339Tests {
    @Test("accepted forms give the UTC instant: offsets applied, T/Z either case, fraction truncated to ms",
          arguments: [
              ("2025-11-04T10:00:00.123Z", Int64(1_762_250_400_123)),
              ("2025-11-04t10:00:00.123z", 1_762_250_400_123),
              ("2025-11-04T10:00:00Z", 1_762_250_400_000),
              ("2025-11-04T10:00:00.1Z", 1_762_250_400_100),
              ("2025-11-04T10:00:00.12Z", 1_762_250_400_120),
              ("2025-11-04T10:00:00.123456Z", 1_762_250_400_123),
              ("2025-11-04T10:00:00.999999999Z", 1_762_250_400_999),
              ("2025-11-04T15:30:00.123+05:30", 1_762_250_400_123),
              ("2025-11-04T08:00:00.123-02:00", 1_762_250_400_123),
              ("2025-11-04T10:00:00+00:00", 1_762_250_400_000),
              ("2025-11-04T10:00:00-00:00", 1_762_250_400_000),
              ("1970-01-01T00:00:00Z", 0),
              ("1970-01-01T00:00:00+01:00", -3_600_000),
              ("1969-12-31T23:59:59.999Z", -1),
              ("2024-02-29T12:34:56.789Z", 1_709_210_096_789),
              ("2000-02-29T00:00:00Z", 951_782_400_000),
              ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
              ("0000-01-01T00:00:00Z", -62_167_219_200_000),
          ])
    func accepts(text: String, millis: Int64) {
        #expect(parse(text) == millis)
    }

    @Test("anything outside docs/bss-jobs.md §7's form is rejected", arguments: [
        "2025-11-04 10:00:00Z",          // space for T
        "2025-11-04T10:00:60Z",          // leap second
        "2025-11-04T10:00:00",           // no offset
        "2025-11-04T10:00:00.123",       // no offset after fraction
        "2025-11-04T10:00:00.Z",         // empty fraction
        "2025-11-04T10:00Z",             // no seconds
        "2025-13-04T10:00:00Z",          // month 13
        "2025-00-04T10:00:00Z",          // month 0
        "2025-11-00T10:00:00Z",          // day 0
        "2025-11-31T10:00:00Z",          // November has 30 days
        "2025-02-30T10:00:00Z",          // Feb 30
        "2025-02-29T10:00:00Z",          // not a leap year
        "1900-02-29T10:00:00Z",          // century, not a leap year
        "2025-11-04T24:00:00Z",          // hour 24
        "2025-11-04T10:60:00Z",          // minute 60
        "2025-11-04T10:00:00+24:00",     // offset hour out of range
        "2025-11-04T10:00:00+05:60",     // offset minute out of range
        "2025-11-04T10:00:00+0530",      // offset without colon
        "2025-11-04T10:00:00+05",        // short offset
        "2025-11-04T10:00:00ZZ",         // trailing data
        "2025-11-04T10:00:00Z ",         // trailing space
        " 2025-11-04T10:00:00Z",         // leading space
        "25-11-04T10:00:00Z",            // two-digit year
        "2025-1-04T10:00:00Z",           // one-digit month
        "2025/11/04T10:00:00Z",          // wrong separator
        "+2025-11-04T10:00:00Z",         // signed year
        "2025-11-04T10:00:00.12a3Z",     // non-digit in fraction
        "",
    ])
    func rejects(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("a reader's minute cache gives what a fresh parse gives, whatever was read before")
    func minuteCache() {
        let texts = [
            "2025-11-04T10:00:00.123Z", "2025-11-04T10:00:59.999Z", "2025-11-04T10:00:60Z", "2025-11-04T10:00:00",
            "2025-11-04T10:00:07+05:30", "2025-11-04T10:00 00Z", "2025-11-04T10:00:0aZ", "2025-11-04T10:01:00Z",
            "2025-11-04T10:00:00.5Z", "2025-11-31T10:00:00Z", "2025-11-04T10:00:00Z", "2025-11-31T10:00:00Z",
            "1970-01-01T00:00:00Z", "1970-01-01T00:00:01.001-01:00", "1970-01-01t00:00:00Z", "1970-01-01T00:00",
            "1970-01-01T00:00:00ZZ", "2024-02-29T23:59:59.999z", "2024-02-29T23:59:5Z",
        ]
        var cache = RFC3339.MinuteCache()
        for text in texts + texts.reversed() {
            let cached = Array(text.utf8).withUnsafeBytes { RFC3339.parseMillis($0, cache: &cache) }
            #expect(cached == parse(text), "\(text)")
        }
    }

    @Test("the one-word check of a `:SS.mmmZ` tail accepts exactly that form: every byte value at every tail position")
    func tailEveryByte() {
        let base = Array("2025-11-04T10:00:00.123Z".utf8)
        let minute: Int64 = 1_762_250_400_000
        func digit(_ b: UInt8) -> Int64? { b >= 0x30 && b <= 0x39 ? Int64(b - 0x30) : nil }
        // Independent of the parser: the form `:[0-5][0-9].[0-9]{3}[Zz]` and its value.
        func expected(_ t: [UInt8]) -> Int64? {
            guard t[16] == UInt8(ascii: ":"), t[19] == UInt8(ascii: "."), t[23] | 0x20 == UInt8(ascii: "z"),
                  let s1 = digit(t[17]), let s2 = digit(t[18]), s1 <= 5,
                  let m1 = digit(t[20]), let m2 = digit(t[21]), let m3 = digit(t[22]) else { return nil }
            return minute + (s1 * 10 + s2) * 1000 + m1 * 100 + m2 * 10 + m3
        }
        var cache = RFC3339.MinuteCache()
        for position in 16..<24 {
            for value in 0...255 {
                var text = base
                text[position] = UInt8(value)
                let parsed = text.withUnsafeBytes { RFC3339.parseMillis($0, cache: &cache) }
                #expect(parsed == expected(text), "byte \(value) at \(position)")
            }
        }
    }

    @Test("format writes UTC with milliseconds, including leap days and the year range ends",
          arguments: [
              (Int64(0), "1970-01-01T00:00:00.000Z"),
              (1_762_250_700_000, "2025-11-04T10:05:00.000Z"),
              (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
              (-1, "1969-12-31T23:59:59.999Z"),
              (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
              (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
              (253_402_300_800_000, "10000-01-01T00:00:00.000Z"),
              (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
          ])
    func format(millis: Int64, text: String) {
        #expect(RFC3339.format(millis: millis) == text)
    }

    @Test("parse(format(t)) == t across years 0...9999")
    func roundTrip() {
        var t: Int64 = -62_167_219_200_000
        while t <= 253_402_300_799_999 {
            #expect(parse(RFC3339.format(millis: t)) == t)
            t += 9_876_543_210_987  // ~313 years, odd ms so every field varies
        }
        #expect(parse(RFC3339.format(millis: 253_402_300_799_999)) == 253_402_300_799_999)
    }
}
