/// Bridges Swift byte buffers to RocksDB's `const char*` + length arguments.
///
/// An empty Swift buffer may have a nil base address; RocksDB wants a valid pointer even for length 0,
/// so that case points at a static empty C string.
@inline(__always)
func rocksChars(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
    guard let base = bytes.baseAddress else {
        let empty: StaticString = ""
        return UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    }
    return base.assumingMemoryBound(to: CChar.self)
}
