/// The text the standard library's shortest round-trip formatter gives the values results mostly
/// hold, whole numbers and amounts in cents, written without calling it (~500 instructions a value).
enum DoubleText {
    /// Bytes `short` may write.
    private static let shortBound = 24

    /// Calls `body` with `short`'s text of `v` (from a stack buffer) and returns true, or returns
    /// false without calling it when `v` needs the full formatter.
    @inline(__always)
    static func withShort(_ v: Double, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        guard let n = withUnsafeMutableBytes(of: &text, { short(v, into: $0) }) else { return false }
        withUnsafeBytes(of: text) { body(UnsafeRawBufferPointer(rebasing: $0[(shortBound - n)...])) }
        return true
    }

    /// Writes `v` right-aligned at the end of `out` (at least `shortBound` bytes) and returns how
    /// many bytes, when `v` is integral up to 2^53 (`12.0`) or has at most two decimals below 2^40
    /// (`12.5`, `-0.07`); nil for any other value, which the caller formats in full.
    ///
    /// The two-decimal case is exact: `cents / 100 == v` means the decimal `cents/100` reads back as
    /// `v` (the division is correctly rounded). Below 2^40 doubles are less than 2^-12 apart, so no
    /// other decimal with at most two places lies within half a spacing of `v`, and one with more
    /// places has more digits: `cents/100` is the shortest text, the one the formatter picks.
    @inline(__always)
    private static func short(_ v: Double, into out: UnsafeMutableRawBufferPointer) -> Int? {
        // Zero with its sign is left to the formatter (`-0.0`).
        guard v != 0 else { return v.sign == .plus ? put(whole: 0, fraction: 0, negative: false, into: out) : nil }
        if v.magnitude <= 9_007_199_254_740_992 {
            let integral = Int64(v)
            if Double(integral) == v {
                return put(whole: integral.magnitude, fraction: 0, negative: v < 0, into: out)
            }
        }
        guard v.magnitude < 0x1p40 else { return nil }
        let scaled = (v * 100).rounded()
        guard scaled / 100 == v else { return nil }
        let cents = Int64(scaled).magnitude
        return put(whole: cents / 100, fraction: cents % 100, negative: v < 0, into: out)
    }

    /// `[-]whole.fraction`, the fraction in hundredths, written with one digit when the second is 0.
    @inline(__always)
    private static func put(whole: UInt64, fraction: UInt64, negative: Bool,
                            into out: UnsafeMutableRawBufferPointer) -> Int {
        var i = out.count
        if fraction % 10 == 0 {
            i -= 1
            out[i] = UInt8(truncatingIfNeeded: fraction / 10) &+ 0x30
        } else {
            i -= 2
            out[i] = UInt8(truncatingIfNeeded: fraction / 10) &+ 0x30
            out[i + 1] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
        }
        i -= 1
        out[i] = UInt8(ascii: ".")
        i -= JSONEscape.decimal(whole, into: UnsafeMutableRawBufferPointer(rebasing: out[..<i]))
        if negative {
            i -= 1
            out[i] = UInt8(ascii: "-")
        }
        return out.count - i
    }
}
