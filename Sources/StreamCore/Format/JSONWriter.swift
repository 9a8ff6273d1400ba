/// Appends JSON text to a reused byte buffer; no Foundation, no String per call on the common paths.
///
/// The writer does not track structure: callers emit `raw` punctuation and keys themselves, so an output
/// record is a handful of appends into `bytes`, which keeps its capacity across `reset()`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    /// The last two timestamps written and their text: a firing writes each window's start and end
    /// once per row, and formatting a date costs more than copying its 24 bytes.
    private var recent = (TimestampText(), TimestampText())

    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends `s` literally (it must already be JSON text, e.g. `{"specversion":"1.0"`).
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends valid UTF-8 `bytes` as a quoted, escaped JSON string.
    public mutating func string(bytes input: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        escapedContent(bytes: input)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends valid UTF-8 `bytes` escaped, without quotes: for strings built from parts, like ids.
    /// Keys and ids rarely need escapes, so the bytes are first checked in one pass and copied at once.
    public mutating func escapedContent(bytes input: UnsafeRawBufferPointer) {
        guard let base = input.baseAddress else { return }
        let n = input.count
        var i = 0
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
            i += 1
        }
        append(UnsafeRawBufferPointer(start: base, count: i))
        if i < n { escapedContentSlow(bytes: UnsafeRawBufferPointer(rebasing: input[i...])) }
    }

    /// `escapedContent` from the first byte that needs an escape.
    private mutating func escapedContentSlow(bytes input: UnsafeRawBufferPointer) {
        var runStart = 0
        for i in 0..<input.count {
            let b = input[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if i > runStart { append(UnsafeRawBufferPointer(rebasing: input[runStart..<i])) }
            runStart = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                raw("u00")
                bytes.append(Self.hexDigit(b >> 4))
                bytes.append(Self.hexDigit(b & 0xF))
            }
        }
        if input.count > runStart { append(UnsafeRawBufferPointer(rebasing: input[runStart..<input.count])) }
    }

    /// Appends bytes as they are, as one copy: typed as `UInt8` elements, `Array.append` copies them
    /// with a single memcpy.
    @inline(__always)
    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                     count: raw.count))
    }

    public mutating func int(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(v.magnitude)
    }

    /// Appends a finite `v` with the same text as Swift's `v.description`: shortest digits that round-trip
    /// exactly, e.g. `51.0`, `12.75`, `0.1`, `1e-05`, `1e+21`, and `-0.0` for negative zero (valid JSON,
    /// and it keeps the sign). JSON has no NaN or infinity, so those are written as `null`.
    public mutating func double(_ v: Double) {
        guard v.isFinite else { return null() }
        // Integral values up to 2^53 print as "<int>.0" in Swift too; writing them directly saves the
        // formatting call. Negative zero is left to the general path to keep its sign.
        if v.magnitude <= 9_007_199_254_740_992, v != 0 || v.sign == .plus {
            let integral = Int64(v)
            if Double(integral) == v {
                int(integral)
                raw(".0")
                return
            }
        }
        // The standard library's shortest round-trip formatter writes into the sink's ASCII hook from a
        // stack buffer, so no String is built. Moving `bytes` into the sink and back copies nothing.
        var sink = ByteSink()
        swap(&sink.bytes, &bytes)
        v.write(to: &sink)
        swap(&sink.bytes, &bytes)
    }

    public mutating func null() {
        raw("null")
    }

    /// Appends `millis` as a quoted RFC 3339 UTC timestamp with milliseconds.
    public mutating func timestamp(millis: Int64) {
        bytes.append(UInt8(ascii: "\""))
        if recent.0.millis == millis {
            recent.0.append(to: &bytes)
        } else if recent.1.millis == millis {
            recent.1.append(to: &bytes)
        } else {
            let start = bytes.count
            RFC3339.append(millis: millis, to: &bytes)
            if let text = TimestampText(millis: millis, formatted: bytes[start...]) { recent = (text, recent.0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendDecimal(_ v: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = v, i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
                n /= 10
            } while n > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? v &+ 0x30 : v &+ (0x61 - 10)
    }
}

/// A formatted timestamp of the usual 24 bytes (`YYYY-MM-DDTHH:MM:SS.mmmZ`), held inline.
private struct TimestampText: Sendable {
    /// `Int64.min` never formats to 24 bytes, so it marks an empty entry.
    var millis = Int64.min
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)

    init() {}

    init?(millis: Int64, formatted: ArraySlice<UInt8>) {
        guard formatted.count == 24 else { return nil }
        self.millis = millis
        withUnsafeMutableBytes(of: &text) { $0.copyBytes(from: formatted) }
    }

    func append(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: text) { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
    }
}

/// A `TextOutputStream` over a byte array, so the standard library's number formatting can append bytes.
private struct ByteSink: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}
