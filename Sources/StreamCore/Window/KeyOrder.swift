/// A firing window's rows in key byte order: the order its results are written in and its stored
/// rows are merged in.
///
/// Rows are ordered by their keys' first 8 bytes as one integer (`KeyTable.orderPrefix`) with an
/// LSD radix sort, one pass per byte in which the keys differ (ids of one shape, like `C000123`,
/// share most of theirs), then each run of equal prefixes by the keys' remaining bytes. A
/// comparison sort cost ~480 instructions a row at 10K keys.
enum KeyOrder {
    private struct Entry {
        var prefix: UInt64
        var key: Int32
        var row: Int32
    }

    /// Below this many rows a comparison sort is cheaper than the radix sort's 2,048 counters.
    private static let radixThreshold = 256

    static func rows(of window: WindowState, keys: KeyTable) -> [Int] {
        var entries = (0..<window.rowCount).map { i in
            let row = window.rows[i]
            let key = window.columns.keys[Int(row)]
            return Entry(prefix: keys.orderPrefix(of: key), key: key, row: row)
        }
        if entries.count < radixThreshold {
            entries.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : keys.lessThanPastPrefix(a.key, b.key) }
        } else {
            radixSortByPrefix(&entries)
            orderEqualPrefixes(&entries, keys: keys)
        }
        return entries.map { Int($0.row) }
    }

    private static func radixSortByPrefix(_ entries: inout [Entry]) {
        let n = entries.count
        // counts[256 * b + v]: entries whose byte b (0 = least significant) is v.
        var counts = [Int](repeating: 0, count: 8 * 256)
        var scratch = entries
        counts.withUnsafeMutableBufferPointer { counts in
            entries.withUnsafeMutableBufferPointer { a in
                scratch.withUnsafeMutableBufferPointer { b in
                    for e in a {
                        var p = e.prefix
                        for byte in 0..<8 {
                            counts[256 &* byte &+ Int(p & 0xFF)] &+= 1
                            p >>= 8
                        }
                    }
                    var source = a, target = b
                    var inTarget = false
                    for byte in 0..<8 {
                        let shift = UInt64(8 * byte)
                        let base = 256 * byte
                        // A byte all keys share leaves the order as it is.
                        if counts[base + Int((source[0].prefix >> shift) & 0xFF)] == n { continue }
                        var offset = 0
                        for v in 0..<256 {
                            let c = counts[base + v]
                            counts[base + v] = offset
                            offset &+= c
                        }
                        for e in source {
                            let slot = base &+ Int((e.prefix >> shift) & 0xFF)
                            target[counts[slot]] = e
                            counts[slot] &+= 1
                        }
                        swap(&source, &target)
                        inTarget.toggle()
                    }
                    if inTarget { a.update(fromContentsOf: b) }
                }
            }
        }
    }

    /// Keys whose first 8 bytes are equal are adjacent after the radix sort; each such run is
    /// sorted by the bytes after them (a job whose keys all share their first 8 bytes makes one
    /// run of all of them).
    private static func orderEqualPrefixes(_ entries: inout [Entry], keys: KeyTable) {
        var runStart = 0
        while runStart < entries.count {
            var runEnd = runStart + 1
            while runEnd < entries.count && entries[runEnd].prefix == entries[runStart].prefix { runEnd += 1 }
            if runEnd - runStart > 1 {
                entries[runStart..<runEnd].sort { keys.lessThanPastPrefix($0.key, $1.key) }
            }
            runStart = runEnd
        }
    }
}
