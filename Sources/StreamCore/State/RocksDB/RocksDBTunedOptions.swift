import CRocksDB

/// The C option objects a store keeps for its lifetime, tuned for write-heavy keyed state.
///
/// Writes skip the WAL: the engine persists state only through checkpoints (which flush memtables first)
/// and restores from checkpoints, so a WAL would only cost write bandwidth.
struct RocksDBTunedOptions {
    let options: OpaquePointer
    let writeOptions: OpaquePointer
    let readOptions: OpaquePointer
    let flushOptions: OpaquePointer

    init(blockCacheBytes: Int) {
        let tableOptions = rocksdb_block_based_options_create()!
        // The table options copy the cache's and filter's shared pointers; our cache handle can go right away.
        let cache = rocksdb_cache_create_lru(blockCacheBytes)!
        rocksdb_block_based_options_set_block_cache(tableOptions, cache)
        rocksdb_cache_destroy(cache)
        rocksdb_block_based_options_set_filter_policy(tableOptions, rocksdb_filterpolicy_create_bloom_full(10))

        options = rocksdb_options_create()!
        rocksdb_options_set_create_if_missing(options, 1)
        rocksdb_options_set_compression(options, Int32(rocksdb_lz4_compression))
        rocksdb_options_set_block_based_table_factory(options, tableOptions)
        rocksdb_block_based_options_destroy(tableOptions)
        // Large memtables absorb bursts of state updates; background jobs flush/compact them off the caller's thread.
        rocksdb_options_set_write_buffer_size(options, 64 << 20)
        rocksdb_options_set_max_write_buffer_number(options, 4)
        rocksdb_options_set_max_background_jobs(options, 2)
        rocksdb_options_set_level_compaction_dynamic_level_bytes(options, 1)
        // RocksDB's info log (its LOG file) takes only the header written at open, none of the
        // lines of a running store: on a full disk its writer (RocksDB 7.8 as Debian builds it,
        // with assertions) aborts the process at the line after one that failed, where the
        // store itself returns "No space left on device". Every error it would log is returned
        // to the caller anyway.
        rocksdb_options_set_info_log_level(options, 5)

        writeOptions = rocksdb_writeoptions_create()!
        rocksdb_writeoptions_disable_WAL(writeOptions, 1)
        readOptions = rocksdb_readoptions_create()!
        flushOptions = rocksdb_flushoptions_create()!
        rocksdb_flushoptions_set_wait(flushOptions, 1)
    }

    func destroy() {
        rocksdb_flushoptions_destroy(flushOptions)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_options_destroy(options)
    }
}
