/// Writes a window operator's changes since the last checkpoint into its RocksDB store, and
/// rebuilds an operator from a restored store.
extension WindowOperator {
    /// Adds the rows changed and the windows dropped since the last checkpoint to `batch`,
    /// with the rule memory in full; then forgets what it wrote.
    func snapshotChanges(into batch: RocksDBWriteBatch) {
        for end in droppedSinceCheckpoint {
            batch.deleteRange(from: StateKeys.prefix(StateKeys.windowRow, end: end),
                              to: StateKeys.prefix(StateKeys.windowRow, end: end + 1))
        }
        droppedSinceCheckpoint.removeAll()
        for window in windows { writeDirtyRows(of: window, into: batch) }
        var key: [UInt8] = []
        batch.deleteRange(from: [StateKeys.ruleMemory], to: [StateKeys.ruleMemory + 1])
        for (i, end) in ruleMemory.ends.enumerated() {
            ruleMemory.entries[i].forEach { keyId, bits in
                key = StateKeys.prefix(StateKeys.ruleMemory, end: end)
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
        var key = StateKeys.prefix(StateKeys.windowRow, end: end)
        keys.withKey(keyId) { key.append(contentsOf: $0) }
        return key
    }

    /// Loads windows and rule memory from `store`, given the restored watermark: rows up to the
    /// memory budget into memory, the windows of the rest marked spilled (read on demand).
    func restore(from store: RocksDBStore, watermark restored: Int64) throws {
        watermark = PartitionWatermark(outOfOrdernessMs: spec.watermark.outOfOrdernessMs, current: restored)
        try store.scan(prefix: [StateKeys.windowRow]) { key, value in
            let end = OrderedKey.readInt64(key, at: 1)
            let window = window(start: end - assigner.sizeMs, end: end)
            window.fired = restored >= assigner.firesAt(end: end)
            guard rowsInMemory < maxRowsInMemory / 2 else {
                window.spilled = true
                return true
            }
            let row = addRow(to: window, key: keys.intern(UnsafeRawBufferPointer(rebasing: key[9...])))
            decodeRow(window, row: row, from: value)
            return true
        }
        try store.scan(prefix: [StateKeys.ruleMemory]) { key, value in
            let end = OrderedKey.readInt64(key, at: 1)
            let keyId = keys.intern(UnsafeRawBufferPointer(rebasing: key[9...]))
            var reader = ByteReader(value)
            ruleMemory.set(key: keyId, end: end, bits: reader.read(UInt64.self))
            return true
        }
    }

    /// Firings, then the row's words, with each countBy's counts (inline and listed) written out
    /// as (value, count) pairs.
    func encodeRow(_ window: WindowState, row: Int, into out: inout ByteWriter) {
        out.append(window.columns.firings[row])
        let base = row * layout.width
        for slot in layout.slots {
            if slot.kind == .countBy {
                var n: UInt32 = 0
                window.columns.forEachCount(at: base + slot.word) { _, _ in n += 1 }
                out.append(n)
                window.columns.forEachCount(at: base + slot.word) { value, count in
                    values[slot.countBy].withKey(value) { out.append(bytes: $0) }
                    out.append(count)
                }
            } else {
                let words = slot.kind == .avg ? 2 : 1
                for i in 0..<words { out.append(window.columns.words[base + slot.word + i]) }
            }
        }
    }

    func decodeRow(_ window: WindowState, row: Int, from bytes: UnsafeRawBufferPointer) {
        var reader = ByteReader(bytes)
        window.columns.firings[row] = reader.read(Int32.self)
        let base = row * layout.width
        for slot in layout.slots {
            if slot.kind == .countBy {
                for _ in 0..<reader.read(UInt32.self) {
                    let value = values[slot.countBy].intern(reader.readBytes())
                    window.columns.addCount(of: value, by: reader.read(Int64.self), at: base + slot.word)
                }
            } else {
                let words = slot.kind == .avg ? 2 : 1
                for i in 0..<words { window.columns.words[base + slot.word + i] = reader.read(UInt64.self) }
            }
        }
    }
}
