#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number ↔ text for CAST, writing into the arena instead of making Strings.
enum NumberText {
    /// Integral values up to 2^53 print as integers (12, not 12.0); others in Swift's shortest
    /// round-trip form, which the stdlib writes to a stack buffer and hands over as ASCII.
    static func format(_ value: Double, into arena: inout ExprArena) -> UnsafeRawBufferPointer {
        if value.rounded(.towardZero) == value, abs(value) <= 9_007_199_254_740_992 {
            return integer(Int64(value), into: &arena)
        }
        // The longest shortest form is 24 bytes (-2.2250738585072014e-308).
        var sink = DigitSink(start: arena.allocate(32), capacity: 32)
        value.write(to: &sink)
        arena.shrinkLast(by: 32 - sink.count)
        return UnsafeRawBufferPointer(start: sink.start, count: sink.count)
    }

    private static func integer(_ value: Int64, into arena: inout ExprArena) -> UnsafeRawBufferPointer {
        let start = arena.allocate(20)
        var digits = value.magnitude
        var end = 20
        repeat {
            end -= 1
            start.storeBytes(of: UInt8(truncatingIfNeeded: digits % 10) + 0x30, toByteOffset: end, as: UInt8.self)
            digits /= 10
        } while digits > 0
        if value < 0 {
            end -= 1
            start.storeBytes(of: 0x2D, toByteOffset: end, as: UInt8.self)
        }
        return UnsafeRawBufferPointer(start: start + end, count: 20 - end)
    }

    /// Parses a decimal number (optional sign, digits, fraction, exponent, surrounding spaces);
    /// nil for anything else, including inf and nan, or a value out of range.
    static func parse(_ text: UnsafeRawBufferPointer, arena: inout ExprArena) -> Double? {
        var low = 0, high = text.count
        while low < high, text[low] == 0x20 { low += 1 }
        while high > low, text[high - 1] == 0x20 { high -= 1 }
        var i = low
        if i < high, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
        var mantissaDigits = 0
        while i < high, text[i] >= 0x30, text[i] <= 0x39 { i += 1; mantissaDigits += 1 }
        if i < high, text[i] == 0x2E {
            i += 1
            while i < high, text[i] >= 0x30, text[i] <= 0x39 { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < high, text[i] == 0x65 || text[i] == 0x45 {
            i += 1
            if i < high, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
            let exponentStart = i
            while i < high, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
            guard i > exponentStart else { return nil }
        }
        guard i == high else { return nil }
        // strtod rounds correctly; it needs a NUL-terminated copy, which the arena lends.
        let count = high - low
        let copy = arena.allocate(count + 1)
        copy.copyMemory(from: text.baseAddress! + low, byteCount: count)
        copy.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        let value = strtod(copy.assumingMemoryBound(to: CChar.self), nil)
        arena.shrinkLast(by: count + 1)
        return value.isFinite ? value : nil
    }
}

/// Receives the stdlib's float digits (`_writeASCII` is how `Double.write(to:)` hands over its
/// stack buffer, so no String is made) into arena bytes.
private struct DigitSink: TextOutputStream {
    let start: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        let n = min(buffer.count, capacity - count)
        (start + count).copyMemory(from: buffer.baseAddress!, byteCount: n)
        count += n
    }

    mutating func write(_ string: String) {
        var copy = string
        copy.withUTF8 { _writeASCII($0) }
    }
}
