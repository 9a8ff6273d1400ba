/// Durations are written as a whole number and a unit: `500ms`, `10s`, `5m`, `1h`.
/// Compound forms (`1m30s`) and fractions are not accepted: one unit reads unambiguously.
enum Duration {
    static let expected = "expected a duration like 500ms, 10s, 5m or 1h"

    /// Milliseconds of `text`, negative values included (callers say why those are wrong);
    /// nil when `text` is not a duration or does not fit in 64 bits.
    static func milliseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, let amount = Int64(digits) else { return nil }
        let unitMs: Int64
        switch rest.dropFirst(digits.count) {
        case "ms": unitMs = 1
        case "s": unitMs = 1_000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        default: return nil
        }
        let (ms, overflow) = amount.multipliedReportingOverflow(by: unitMs)
        guard !overflow else { return nil }
        return negative ? -ms : ms
    }
}

extension YAMLValue {
    /// A non-negative duration in milliseconds; zero only where `allowZero` says it makes sense.
    func durationMs(allowZero: Bool) throws -> Int64 {
        guard let text = scalarText, !isTagged(.null), let ms = Duration.milliseconds(text) else {
            throw error("\(Duration.expected), got \(shown)")
        }
        guard ms >= 0 else { throw error("must not be negative, got \(shown)") }
        guard allowZero || ms > 0 else { throw error("must be greater than 0, got \(shown)") }
        return ms
    }

    /// A positive duration, or nil for `off`.
    func durationOrOffMs() throws -> Int64? {
        if scalarText == "off" { return nil }
        guard let text = scalarText, !isTagged(.null), Duration.milliseconds(text) != nil else {
            throw error("\(Duration.expected), or off, got \(shown)")
        }
        let ms = try durationMs(allowZero: true)
        guard ms > 0 else { throw error("must be greater than 0, got \(shown) (write off to disable)") }
        return ms
    }
}
