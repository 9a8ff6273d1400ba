import CRocksDB

/// One RocksDB database holding keyed state. Not thread-safe: used by one thread at a time.
public final class RocksDBStore: @unchecked Sendable {
    public let path: String
    private var db: OpaquePointer?
    let tuned: RocksDBTunedOptions

    /// Opens (creating if missing) a database tuned for write-heavy keyed state: lz4 compression, bloom filter
    /// (10 bits), an LRU block cache of `blockCacheBytes`, WAL disabled for writes (durability comes from checkpoints).
    public init(path: String, blockCacheBytes: Int = 64 << 20) throws {
        self.path = path
        tuned = RocksDBTunedOptions(blockCacheBytes: blockCacheBytes)
        var err: UnsafeMutablePointer<CChar>?
        let opened = rocksdb_open(tuned.options, path, &err)
        if let err {
            tuned.destroy()
            throw RocksDBError.consuming(err, "cannot open RocksDB at '\(path)'")
        }
        db = opened
    }

    deinit { close() }

    /// Closes the database (RocksDB flushes unpersisted memtables on close). Idempotent.
    public func close() {
        guard let db else { return }
        rocksdb_close(db)
        self.db = nil
        tuned.destroy()
    }

    /// The open handle, or `RocksDBError.closed`.
    @inline(__always)
    func handle() throws -> OpaquePointer {
        guard let db else { throw RocksDBError.closed }
        return db
    }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws {
        let db = try handle()
        var err: UnsafeMutablePointer<CChar>?
        rocksdb_put(db, tuned.writeOptions, rocksChars(key), key.count, rocksChars(value), value.count, &err)
        if let err { throw RocksDBError.consuming(err, "put") }
    }

    public func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try put(k, v) } }
    }

    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in try withValue(forKey: k) { $0.map { Array($0) } } }
    }

    /// Zero-copy get: `body` sees the value bytes (a pinned slice, valid only inside `body`) or nil if absent.
    public func withValue<R>(
        forKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        let db = try handle()
        var err: UnsafeMutablePointer<CChar>?
        let pinned = rocksdb_get_pinned(db, tuned.readOptions, rocksChars(key), key.count, &err)
        if let err { throw RocksDBError.consuming(err, "get") }
        guard let pinned else { return try body(nil) }
        defer { rocksdb_pinnableslice_destroy(pinned) }
        var length = 0
        let bytes = rocksdb_pinnableslice_value(pinned, &length)
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    public func delete(_ key: UnsafeRawBufferPointer) throws {
        let db = try handle()
        var err: UnsafeMutablePointer<CChar>?
        rocksdb_delete(db, tuned.writeOptions, rocksChars(key), key.count, &err)
        if let err { throw RocksDBError.consuming(err, "delete") }
    }

    public func delete(_ key: [UInt8]) throws {
        try key.withUnsafeBytes { try delete($0) }
    }

    /// Applies the batch atomically. The batch is left as is; `clear()` it to reuse it.
    public func write(_ batch: RocksDBWriteBatch) throws {
        let db = try handle()
        var err: UnsafeMutablePointer<CChar>?
        rocksdb_write(db, tuned.writeOptions, batch.batch, &err)
        if let err { throw RocksDBError.consuming(err, "write batch") }
    }

    /// Flushes memtables to SST files and waits for the flush to finish.
    public func flush() throws {
        let db = try handle()
        var err: UnsafeMutablePointer<CChar>?
        rocksdb_flush(db, tuned.flushOptions, &err)
        if let err { throw RocksDBError.consuming(err, "flush") }
    }
}
