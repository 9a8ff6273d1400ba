import CRocksDB

/// Buffered writes applied atomically by `RocksDBStore.write(_:)`. Reusable after `clear()`.
/// Not thread-safe; RocksDB copies keys and values into the batch, so callers' buffers may be reused at once.
public final class RocksDBWriteBatch {
    let batch: OpaquePointer

    public init() {
        batch = rocksdb_writebatch_create()!
    }

    deinit { rocksdb_writebatch_destroy(batch) }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        rocksdb_writebatch_put(batch, rocksChars(key), key.count, rocksChars(value), value.count)
    }

    public func put(_ key: [UInt8], _ value: [UInt8]) {
        key.withUnsafeBytes { k in value.withUnsafeBytes { v in put(k, v) } }
    }

    public func delete(_ key: UnsafeRawBufferPointer) {
        rocksdb_writebatch_delete(batch, rocksChars(key), key.count)
    }

    public func delete(_ key: [UInt8]) {
        key.withUnsafeBytes { delete($0) }
    }

    /// Deletes every key in [from, to).
    public func deleteRange(from: [UInt8], to: [UInt8]) {
        from.withUnsafeBytes { start in
            to.withUnsafeBytes { end in
                rocksdb_writebatch_delete_range(batch, rocksChars(start), start.count, rocksChars(end), end.count)
            }
        }
    }

    /// Number of operations (puts, deletes, range deletes) in the batch.
    public var count: Int { Int(rocksdb_writebatch_count(batch)) }

    public func clear() {
        rocksdb_writebatch_clear(batch)
    }
}
