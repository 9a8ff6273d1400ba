/// RFC 3339 timestamps as docs/bss-jobs.md §1/§7 accept and write them.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, `T` and `Z` in either case, one or more
/// fraction digits truncated (not rounded) to milliseconds. Rejected: anything else, including a space for
/// `T`, second 60 (leap seconds are not representable in epoch milliseconds), a missing offset, field values
/// out of range and days past the end of their month (Gregorian leap years).
public enum RFC3339 {
    static let msPerDay: Int64 = 86_400_000

    /// The minute `parseMillis(_:cache:)` read last. Records mostly come in time order, so most share their
    /// first 16 bytes, `YYYY-MM-DDTHH:MM`, with the one before: those bytes alone decide whether that part
    /// is valid and which minute it denotes, so it is checked and converted once per minute rather than per
    /// record. Starts at the epoch's minute, so it always holds a valid one.
    struct MinuteCache {
        var text: (UInt64, UInt64) = (0x2D31_302D_3037_3931, 0x3030_3A30_3054_3130)   // "1970-01-01T00:00"
        var millis: Int64 = 0
    }

    /// Milliseconds since the Unix epoch, or nil when `bytes` is not in the accepted form.
    public static func parseMillis(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var cache = MinuteCache()
        return parseMillis(bytes, cache: &cache)
    }

    /// `parseMillis(_:)` reusing (and updating) the minute in `cache`.
    static func parseMillis(_ bytes: UnsafeRawBufferPointer, cache: inout MinuteCache) -> Int64? {
        let n = bytes.count
        guard n >= 20 else { return nil }
        let text = (bytes.loadUnaligned(as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if text != cache.text {
            guard let minute = minuteMillis(bytes) else { return nil }
            cache = MinuteCache(text: text, millis: minute)
        }
        if n == 24, let tail = millisTail(bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) {
            return cache.millis + tail
        }
        guard bytes[16] == UInt8(ascii: ":"), let second = two(bytes, 17), second <= 59 else { return nil }

        var i = 19
        var millis: Int64 = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            var scale: Int64 = 100
            while i < n, let d = digit(bytes, i) {
                millis += d * scale
                scale /= 10
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        guard i < n else { return nil }
        var offsetMinutes: Int64 = 0
        switch bytes[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard n - i >= 6, let oh = two(bytes, i + 1), bytes[i + 3] == UInt8(ascii: ":"),
                  let om = two(bytes, i + 4), oh <= 23, om <= 59 else { return nil }
            offsetMinutes = (oh * 60 + om) * (bytes[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        return cache.millis + (second - offsetMinutes * 60) * 1000 + millis
    }

    /// The milliseconds into the minute of the usual tail `:SS.mmmZ` (`Z` in either case) as the 8 bytes of
    /// the little-endian `word`, or nil when the word is not of that form (`parseMillis` then reads the
    /// tail byte by byte and decides). Checks all eight bytes at once: the separators by value, each digit
    /// by its high nibble being 3 both before and after adding 6 (so its low nibble is at most 9).
    @inline(__always)
    static func millisTail(_ word: UInt64) -> Int64? {
        let w = UInt64(littleEndian: word)
        // Lanes, low byte first: ':' S S '.' m m m 'Z'; `| 0x20` in the last lane accepts 'z' as well.
        let digits = w & 0x00FF_FFFF_00FF_FF00
        let nibbles: UInt64 = 0x00F0_F0F0_00F0_F000, threes: UInt64 = 0x0030_3030_0030_3000
        guard (w | 0x2000_0000_0000_0000) & 0xFF00_0000_FF00_00FF == 0x7A00_0000_2E00_003A,
              digits & nibbles == threes, (digits &+ 0x0006_0606_0006_0600) & nibbles == threes else { return nil }
        let d = digits & 0x000F_0F0F_000F_0F00
        let second = Int64(truncatingIfNeeded: (d >> 8) & 0xF) * 10 + Int64(truncatingIfNeeded: (d >> 16) & 0xF)
        guard second <= 59 else { return nil }
        let millis = Int64(truncatingIfNeeded: (d >> 32) & 0xF) * 100 + Int64(truncatingIfNeeded: (d >> 40) & 0xF) * 10
            + Int64(truncatingIfNeeded: (d >> 48) & 0xF)
        return second * 1000 + millis
    }

    /// Milliseconds since the epoch of the minute `YYYY-MM-DDTHH:MM` in `bytes[0..<16]`, or nil when that is
    /// not a valid one.
    private static func minuteMillis(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let y1 = two(bytes, 0), let y2 = two(bytes, 2), bytes[4] == UInt8(ascii: "-"),
              let month = two(bytes, 5), bytes[7] == UInt8(ascii: "-"), let day = two(bytes, 8),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = two(bytes, 11), bytes[13] == UInt8(ascii: ":"), let minute = two(bytes, 14) else { return nil }
        let year = y1 * 100 + y2
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59 else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * msPerDay + (hour * 60 + minute) * 60_000
    }

    @inline(__always)
    private static func digit(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Int64? {
        let d = bytes[i] &- 0x30
        return d < 10 ? Int64(d) : nil
    }

    @inline(__always)
    private static func two(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Int64? {
        guard let a = digit(bytes, i), let b = digit(bytes, i + 1) else { return nil }
        return a * 10 + b
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, e.g. "2025-11-04T10:05:00.000Z".
    ///
    /// Years 0...9999 are RFC 3339; outside it the year is written with more digits or a leading `-`
    /// (ISO 8601 expanded form) rather than failing, since a window end can fall just past year 9999.
    public static func format(millis: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(millis: millis, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text of `format(millis:)` to `out` without creating a String.
    static func append(millis: Int64, to out: inout [UInt8]) {
        let (days, msOfDay) = floorDivMod(millis, msPerDay)
        let (year, month, day) = civilFromDays(days)
        // Built in a stack buffer and appended once: per-byte appends cost more than the formatting.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { b in
            var n = 0
            if year < 0 {
                b[0] = UInt8(ascii: "-")
                n = 1
            }
            var yearDigits = 4
            while yearDigits < 19, year.magnitude >= pow10(yearDigits) { yearDigits += 1 }
            n = put(year.magnitude, digits: yearDigits, into: b, at: n)
            let ms = UInt64(msOfDay)
            n = put(UInt64(month), digits: 2, into: b, after: UInt8(ascii: "-"), at: n)
            n = put(UInt64(day), digits: 2, into: b, after: UInt8(ascii: "-"), at: n)
            n = put(ms / 3_600_000, digits: 2, into: b, after: UInt8(ascii: "T"), at: n)
            n = put(ms / 60_000 % 60, digits: 2, into: b, after: UInt8(ascii: ":"), at: n)
            n = put(ms / 1000 % 60, digits: 2, into: b, after: UInt8(ascii: ":"), at: n)
            n = put(ms % 1000, digits: 3, into: b, after: UInt8(ascii: "."), at: n)
            b[n] = UInt8(ascii: "Z")
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0...n]))
        }
    }

    /// Writes `value` as exactly `digits` decimal digits (zero-padded) at `b[at...]`; returns the end.
    private static func put(_ value: UInt64, digits: Int, into b: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        var v = value
        for i in stride(from: at + digits - 1, through: at, by: -1) {
            b[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
        }
        return at + digits
    }

    private static func put(_ value: UInt64, digits: Int, into b: UnsafeMutableBufferPointer<UInt8>,
                            after separator: UInt8, at: Int) -> Int {
        b[at] = separator
        return put(value, digits: digits, into: b, at: at + 1)
    }

    private static func pow10(_ n: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Inverse of `daysFromCivil` (Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
