/// Builds and reads keys whose byte-wise (lexical) order equals the numeric order of their fields, so
/// RocksDB's key order and prefix scans follow the numbers: integers are big-endian, signed ones with the
/// sign bit flipped (so negatives sort before positives).
///
/// Fixed-width fields compose freely; variable-length raw bytes keep the order only as the last field.
public enum OrderedKey {
    @inline(__always)
    public static func append(_ value: UInt64, to key: inout [UInt8]) {
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { key.append(contentsOf: $0) }
    }

    @inline(__always)
    public static func append(_ value: Int64, to key: inout [UInt8]) {
        append(UInt64(bitPattern: value) ^ (1 << 63), to: &key)
    }

    @inline(__always)
    public static func append(_ value: UInt32, to key: inout [UInt8]) {
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { key.append(contentsOf: $0) }
    }

    @inline(__always)
    public static func append(_ value: Int32, to key: inout [UInt8]) {
        append(UInt32(bitPattern: value) ^ (1 << 31), to: &key)
    }

    @inline(__always)
    public static func append(_ bytes: UnsafeRawBufferPointer, to key: inout [UInt8]) {
        key.append(contentsOf: bytes)
    }

    @inline(__always)
    public static func append(_ bytes: [UInt8], to key: inout [UInt8]) {
        key.append(contentsOf: bytes)
    }

    /// Reads a field written by `append(_: UInt64, to:)` at byte `offset` of `key`.
    @inline(__always)
    public static func readUInt64(_ key: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(bigEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a field written by `append(_: Int64, to:)` at byte `offset` of `key`.
    @inline(__always)
    public static func readInt64(_ key: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(bitPattern: readUInt64(key, at: offset) ^ (1 << 63))
    }

    /// Reads a field written by `append(_: UInt32, to:)` at byte `offset` of `key`.
    @inline(__always)
    public static func readUInt32(_ key: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// Reads a field written by `append(_: Int32, to:)` at byte `offset` of `key`.
    @inline(__always)
    public static func readInt32(_ key: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
        Int32(bitPattern: readUInt32(key, at: offset) ^ (1 << 31))
    }
}
