/// Converts the text of a JSON number (already validated by `JSONScanner`) to the nearest Double.
enum JSONNumber {
    /// Clinger's fast path when exact: a mantissa of at most 2^53 times or divided by a power of ten up to
    /// 10^22, each exactly representable, so one correctly rounded operation gives the correctly rounded
    /// result. Other numbers (long mantissas, large exponents) go through the standard library's parser,
    /// which is correctly rounded too; short texts fit a small String and are not heap-allocated.
    /// Returns ±infinity when the value overflows.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        var i = 0
        let n = text.count
        let negative = text[0] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        // False once a significant digit does not fit: the fast path is then out and `exponent` moot.
        var exact = true
        @inline(__always) func add(_ d: UInt64) {
            if digits < 19 {
                mantissa = mantissa * 10 + d
                digits += 1
            } else {
                exact = false
            }
        }
        while i < n, text[i] &- 0x30 < 10 {
            let d = UInt64(text[i] &- 0x30)
            if mantissa != 0 || d != 0 { add(d) }
            i += 1
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, text[i] &- 0x30 < 10 {
                let d = UInt64(text[i] &- 0x30)
                if mantissa != 0 || d != 0 { add(d) }
                exponent -= 1
                i += 1
            }
        }
        if i < n {
            i += 1
            var expNegative = false
            if text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < n {
                if e < 100_000 { e = e * 10 + Int(text[i] &- 0x30) }
                i += 1
            }
            exponent += expNegative ? -e : e
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var scale = 1.0
            for _ in 0..<abs(exponent) { scale *= 10 }
            let magnitude = exponent >= 0 ? Double(mantissa) * scale : Double(mantissa) / scale
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: text, as: UTF8.self)) ?? .infinity
    }
}
