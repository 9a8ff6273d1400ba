/// Layout of a task's keyed state in its RocksDB store. Big-endian, sign-flipped window ends
/// make RocksDB's byte order the windows' time order.
enum StateKeys {
    /// Window rows: `w` + end + key bytes.
    static let windowRow: UInt8 = UInt8(ascii: "w")
    /// Session windows (`SessionWindowOperator`): `s` + key bytes + start.
    static let sessionRow: UInt8 = UInt8(ascii: "s")
    /// Rule memory: `r` + end + key bytes.
    static let ruleMemory: UInt8 = UInt8(ascii: "r")
    /// Task metadata (offsets, watermark, sink sequences): `m`.
    static let metadata: [UInt8] = [UInt8(ascii: "m")]

    static func prefix(_ tag: UInt8, end: Int64) -> [UInt8] {
        var key: [UInt8] = [tag]
        key.reserveCapacity(9)
        OrderedKey.append(end, to: &key)
        return key
    }
}

/// Little-endian fixed-width encoding of row values (state is only read back by this engine).
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func append(bytes b: UnsafeRawBufferPointer) {
        append(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
}

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T {
        let v = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return v
    }
    mutating func readBytes() -> UnsafeRawBufferPointer {
        let n = Int(read(UInt32.self))
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
    }
}
