#if canImport(Glibc)
import Glibc
#endif

/// Memory for large state buffers (key tables, row columns and indexes with up to millions of
/// keys), on transparent huge pages where the system offers them.
///
/// Such buffers are read at random places, a key per record: with 4 KiB pages nearly every access
/// also misses the TLB (8 MB of one column spans 2,048 pages). Buffers of at least 2 MiB are
/// aligned to 2 MiB and advised `MADV_HUGEPAGE` before anything touches them, so the kernel backs
/// them with 2 MiB pages when its THP mode is `always` or `madvise` (Debian's default). Smaller
/// buffers, and systems without THP, get ordinary memory.
enum HugePageMemory {
    static let hugePageSize = 2 << 20

    /// Uninitialized memory for `capacity` values, freed with `deallocate()`.
    static func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
        let bytes = capacity * MemoryLayout<T>.stride
        guard bytes >= hugePageSize else { return .allocate(capacity: capacity) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: hugePageSize)
        #if os(Linux)
        // Advice only: where it is refused, the buffer still works on small pages.
        _ = madvise(raw, bytes, MADV_HUGEPAGE)
        #endif
        return raw.bindMemory(to: T.self, capacity: capacity)
    }
}
