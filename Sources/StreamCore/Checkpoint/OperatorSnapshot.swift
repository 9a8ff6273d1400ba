/// Writes a window operator's changes since the last checkpoint into its RocksDB store, and
/// rebuilds an operator from a restored store.
extension WindowOperator {
    /// Adds the rows changed and the windows dropped since the last checkpoint to `batch`,
    /// with the rule memory in full; then forgets what it wrote.
    func snapshotChanges(into batch: RocksDBWriteBatch) {
        for end in droppedSinceCheckpoint {
            batch.deleteRange(from: namespace.key(StateKeys.windowRow, end: end),
                              to: namespace.key(StateKeys.windowRow, end: end + 1))
        }
        droppedSinceCheckpoint.removeAll()
        for window in windows { writeDirtyRows(of: window, into: batch) }
        var key: [UInt8] = []
        batch.deleteRange(from: namespace.key(StateKeys.ruleMemory), to: namespace.key(StateKeys.ruleMemory + 1))
        for (i, end) in ruleMemory.ends.enumerated() {
            ruleMemory.entries[i].forEach { keyId, bits in
                key = namespace.key(StateKeys.ruleMemory, end: end)
                keys.withKey(keyId) { key.append(contentsOf: $0) }
                var v = ByteWriter()
                v.append(bits)
                batch.put(key, v.bytes)
            }
        }
    }

    /// Adds the rows of `window` changed since they were last stored to `batch`.
    func writeDirtyRows(of window: WindowState, into batch: RocksDBWriteBatch) {
        var value = ByteWriter()
        for i in 0..<window.dirtyRows.count {
            let row = Int(window.dirtyRows[i])
            value.bytes.removeAll(keepingCapacity: true)
            encodeRow(window, row: row, into: &value)
            batch.put(storedRowKey(window.end, window.columns.keys[row]), value.bytes)
        }
        window.clearDirty()
    }

    func storedRowKey(_ end: Int64, _ keyId: Int32) -> [UInt8] {
        var key = namespace.key(StateKeys.windowRow, end: end)
        keys.withKey(keyId) { key.append(contentsOf: $0) }
        return key
    }

    /// Loads windows and rule memory from `store`, given the restored watermark: rows up to the
    /// memory budget into memory, the windows of the rest marked spilled (read on demand).
    func restore(from store: RocksDBStore, watermark restored: Int64) throws {
        watermark = PartitionWatermark(outOfOrdernessMs: job.spec.source.watermark.outOfOrdernessMs, current: restored)
        let afterEnd = namespace.afterEnd
        try store.scan(prefix: namespace.key(StateKeys.windowRow)) { key, value in
            let end = OrderedKey.readInt64(key, at: namespace.afterTag)
            let window = window(start: end - assigner.sizeMs, end: end)
            window.fired = restored >= assigner.firesAt(end: end)
            guard rowsInMemory < maxRowsInMemory / 2 else {
                window.spilled = true
                return true
            }
            let row = addRow(to: window, key: keys.intern(UnsafeRawBufferPointer(rebasing: key[afterEnd...])))
            decodeRow(window, row: row, from: value)
            return true
        }
        try store.scan(prefix: namespace.key(StateKeys.ruleMemory)) { key, value in
            let end = OrderedKey.readInt64(key, at: namespace.afterTag)
            let keyId = keys.intern(UnsafeRawBufferPointer(rebasing: key[afterEnd...]))
            var reader = ByteReader(value)
            ruleMemory.set(key: keyId, end: end, bits: reader.read(UInt64.self))
            return true
        }
    }

    /// `RowCodec`'s form of the row.
    func encodeRow(_ window: WindowState, row: Int, into out: inout ByteWriter) {
        RowCodec.encode(window.columns, row: row, layout: layout, values: values, into: &out)
    }

    func decodeRow(_ window: WindowState, row: Int, from bytes: UnsafeRawBufferPointer) {
        var reader = ByteReader(bytes)
        RowCodec.decode(window.columns, row: row, layout: layout, values: &values, from: &reader)
    }
}
