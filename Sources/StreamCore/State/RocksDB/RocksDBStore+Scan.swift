import CRocksDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RocksDBStore {
    /// Visits, in key order, the keys that start with `prefix` (all keys if `prefix` is empty).
    /// `body` returns false to stop early. The buffers are valid only during each call of `body`.
    public func scan(
        prefix: [UInt8],
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let db = try handle()
        let upperBound = Self.prefixSuccessor(prefix)
        // The read options hold a pointer to the upper bound bytes, so both live for the whole scan.
        let readOptions = rocksdb_readoptions_create()!
        defer { rocksdb_readoptions_destroy(readOptions) }
        try prefix.withUnsafeBytes { prefixBytes in
            try upperBound.withUnsafeBytes { bound in
                if !upperBound.isEmpty {
                    // Lets RocksDB stop at the prefix boundary instead of reading on into the next key range.
                    rocksdb_readoptions_set_iterate_upper_bound(readOptions, rocksChars(bound), bound.count)
                }
                let iterator = rocksdb_create_iterator(db, readOptions)!
                defer { rocksdb_iter_destroy(iterator) }
                rocksdb_iter_seek(iterator, rocksChars(prefixBytes), prefixBytes.count)
                while rocksdb_iter_valid(iterator) != 0 {
                    var keyLength = 0
                    var valueLength = 0
                    let key = UnsafeRawBufferPointer(start: rocksdb_iter_key(iterator, &keyLength), count: keyLength)
                    guard Self.hasPrefix(key, prefixBytes) else { break }
                    let value = UnsafeRawBufferPointer(
                        start: rocksdb_iter_value(iterator, &valueLength), count: valueLength)
                    guard try body(key, value) else { return }
                    rocksdb_iter_next(iterator)
                }
                var err: UnsafeMutablePointer<CChar>?
                rocksdb_iter_get_error(iterator, &err)
                if let err { throw RocksDBError.consuming(err, "scan") }
            }
        }
    }

    /// The first key at or after `from` that starts with `prefix`, if any.
    public func firstKey(from: [UInt8], prefix: [UInt8]) throws -> [UInt8]? {
        let db = try handle()
        let readOptions = rocksdb_readoptions_create()!
        defer { rocksdb_readoptions_destroy(readOptions) }
        let iterator = rocksdb_create_iterator(db, readOptions)!
        defer { rocksdb_iter_destroy(iterator) }
        from.withUnsafeBytes { rocksdb_iter_seek(iterator, rocksChars($0), $0.count) }
        var err: UnsafeMutablePointer<CChar>?
        rocksdb_iter_get_error(iterator, &err)
        if let err { throw RocksDBError.consuming(err, "seek") }
        guard rocksdb_iter_valid(iterator) != 0 else { return nil }
        var keyLength = 0
        let key = UnsafeRawBufferPointer(start: rocksdb_iter_key(iterator, &keyLength), count: keyLength)
        return prefix.withUnsafeBytes { Self.hasPrefix(key, $0) } ? Array(key) : nil
    }

    /// The smallest key greater than every key starting with `prefix`, or empty when there is none
    /// (empty prefix, or all bytes 0xFF).
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8] {
        var successor = prefix
        while let last = successor.last {
            if last < 0xFF {
                successor[successor.count - 1] = last + 1
                return successor
            }
            successor.removeLast()
        }
        return []
    }

    @inline(__always)
    static func hasPrefix(_ key: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
        key.count >= prefix.count && (prefix.isEmpty || memcmp(key.baseAddress!, prefix.baseAddress!, prefix.count) == 0)
    }
}
