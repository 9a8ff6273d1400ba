/// How a producer writes an event time: mostly `…T10:00:00.123Z`, sometimes the
/// other forms docs/bss-jobs.md §7 accepts (offset, no fraction, microseconds, lower case).
enum GeneratedTimeText {
    /// The text and the event time it denotes (no fraction drops the milliseconds).
    static func make(_ millis: Int64, random: inout SplitMix64) -> (text: String, millis: Int64) {
        let roll = random.below(100)
        switch roll {
        case 0..<2:
            let offsets: [(String, Int64)] = [("+01:00", 60), ("+02:00", 120), ("-05:00", -300), ("+05:30", 330)]
            let (suffix, minutes) = offsets[random.below(offsets.count)]
            return (String(RefEventTime.format(millis + minutes * 60_000).dropLast()) + suffix, millis)
        case 2..<4:
            let text = RefEventTime.format(millis)
            return (String(text.prefix(19)) + "Z", millis - RefEventTime.floorMod(millis, 1000))
        case 4:
            let micros = String(random.below(1000))
            let text = RefEventTime.format(millis).dropLast()
            return (text + String(repeating: "0", count: 3 - micros.count) + micros + "Z", millis)
        case 5:
            return (RefEventTime.format(millis).lowercased(), millis)
        default:
            return (RefEventTime.format(millis), millis)
        }
    }
}
