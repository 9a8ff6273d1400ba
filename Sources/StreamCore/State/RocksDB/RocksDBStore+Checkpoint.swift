import CRocksDB

extension RocksDBStore {
    /// Writes a consistent, openable copy of the database at `path` (which must not exist; its parent must).
    ///
    /// Uses RocksDB's Checkpoint API, which hard-links SST files when on the same filesystem, so successive
    /// checkpoints are cheap and share unchanged files. Writes skip the WAL, so memtables are flushed first:
    /// the checkpoint then holds every write made before this call.
    public func createCheckpoint(at path: String) throws {
        let db = try handle()
        try flush()
        var err: UnsafeMutablePointer<CChar>?
        let checkpoint = rocksdb_checkpoint_object_create(db, &err)
        if let err { throw RocksDBError.consuming(err, "create checkpoint object") }
        defer { rocksdb_checkpoint_object_destroy(checkpoint) }
        // log_size_for_flush 0 makes RocksDB flush as well, so the checkpoint never relies on WAL files.
        rocksdb_checkpoint_create(checkpoint, path, 0, &err)
        if let err { throw RocksDBError.consuming(err, "create checkpoint at '\(path)'") }
    }
}
