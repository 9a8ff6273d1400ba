/// Appends JSON text to a reused byte buffer; no Foundation, no String per call on the common paths.
///
/// The writer does not track structure: callers emit `raw` punctuation and keys themselves, so an output
/// record is a handful of appends into `bytes`, which keeps its capacity across `reset()`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    /// The last two timestamps written and their text: a firing writes each window's start and end
    /// once per row, and formatting a date costs more than copying its bytes.
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
            JSONEscape.forEachByte(escaping: b) { bytes.append($0) }
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
        if DoubleText.withShort(v, { append($0) }) { return }
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
        let text = formattedTimestamp(millis)
        bytes.append(UInt8(ascii: "\""))
        text.withBytes { append($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `millis` as RFC 3339 text, from the two most recent when it is one of them.
    mutating func formattedTimestamp(_ millis: Int64) -> TimestampText {
        if recent.0.millis == millis { return recent.0 }
        if recent.1.millis == millis { return recent.1 }
        var formatted: [UInt8] = []
        RFC3339.append(millis: millis, to: &formatted)
        let text = TimestampText(millis: millis, formatted: formatted)
        recent = (text, recent.0)
        return text
    }

    private mutating func appendDecimal(_ v: UInt64) {
        withUnsafeTemporaryAllocation(byteCount: 20, alignment: 1) { digits in
            let n = JSONEscape.decimal(v, into: digits)
            append(UnsafeRawBufferPointer(rebasing: digits[(20 - n)...]))
        }
    }

    /// Reserves `maxCount` bytes and lets `body` write at most that many through a cursor: one
    /// capacity check for a record's many pieces.
    @inline(__always)
    mutating func appendBounded(maxCount: Int, _ body: (inout ByteCursor) -> Void) {
        bytes.append(addingCapacity: maxCount) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                var cursor = ByteCursor(base: buffer.baseAddress!, capacity: buffer.count)
                body(&cursor)
                initialized = cursor.count
            }
        }
    }
}

/// A formatted timestamp held inline: 24 bytes for years 0-9999, at most 30 for any `Int64`.
struct TimestampText: Sendable {
    /// nil for an empty cache entry.
    var millis: Int64?
    private var count = 0
    private var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(millis: Int64, formatted: [UInt8]) {
        precondition(formatted.count <= 32, "timestamp text longer than 32 bytes")
        self.millis = millis
        count = formatted.count
        withUnsafeMutableBytes(of: &text) { $0.copyBytes(from: formatted) }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: text) { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
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
