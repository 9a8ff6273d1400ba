/// The control records a stage-1 task writes into every partition of its job's repartition
/// topic: an empty value (a data record there is always a JSON object, never empty) and the key
/// `<upstream partition>:<watermark ms>`, readable with any Kafka tool. User steps never see them.
///
/// When to write one is a function of the watermark alone, so a restarted task regenerates the
/// same records in the same places and exactly-once holds for them as for data: whenever the
/// watermark enters a new second of event time, and when it becomes plus infinity (the end of a
/// bounded run, or a stop with drain).
public enum WatermarkControl {
    /// The watermark's granularity across a shuffle: a downstream window fires at most this much
    /// event time later than it would without one.
    public static let intervalMs: Int64 = 1_000

    /// Whether moving from `before` to `after` is written downstream.
    @inline(__always)
    static func isDue(from before: Int64, to after: Int64) -> Bool {
        guard after > before else { return false }
        if before == PartitionWatermark.minusInfinity || after == PartitionWatermark.plusInfinity { return true }
        return after.floorDivided(by: intervalMs) != before.floorDivided(by: intervalMs)
    }

    /// The key of the control record for `watermark` from stage-1 task `upstream`.
    static func key(upstream: Int32, watermark: Int64) -> [UInt8] {
        Array("\(upstream):\(watermark)".utf8)
    }

    /// The upstream partition and watermark a control record's key carries; nil for any other key.
    static func parse(_ key: UnsafeRawBufferPointer) -> (upstream: Int32, watermark: Int64)? {
        guard let colon = key.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let text = String(decoding: key, as: UTF8.self)
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard colon > 0, parts.count == 2, let upstream = Int32(parts[0]), upstream >= 0, let watermark = Int64(parts[1]) else {
            return nil
        }
        return (upstream, watermark)
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (event times before 1970 are negative).
    func floorDivided(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
