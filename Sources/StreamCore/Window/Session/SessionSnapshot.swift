/// Writes a session operator's changes since the last checkpoint into its RocksDB store, and
/// rebuilds the operator from a restored store.
///
/// One entry per session: key `s` + key bytes + start (the key bytes are all but the last 8),
/// value end, pending, alerted rules, then `RowCodec`'s row. Timers are not stored: restore
/// schedules each session from its bounds, so it fires and is dropped as it would have been.
extension SessionWindowOperator {
    /// Deletes the sessions freed since the last checkpoint (dropped, or merged into another)
    /// and the old entries of sessions whose start moved, then writes every changed session.
    func snapshotChanges(into batch: RocksDBWriteBatch) {
        for i in 0..<sessions.freedKeys.count {
            batch.delete(storedKey(sessions.freedKeys[i], start: sessions.freedStarts[i]))
        }
        sessions.freedKeys.removeAll()
        sessions.freedStarts.removeAll()
        var value = ByteWriter()
        for i in 0..<sessions.dirtyRows.count {
            let row = Int(sessions.dirtyRows[i])
            guard sessions.columns.isDirty[row] else { continue }
            sessions.columns.isDirty[row] = false
            let key = sessions.columns.keys[row]
            if sessions.isStored[row] && sessions.storedStarts[row] != sessions.starts[row] {
                batch.delete(storedKey(key, start: sessions.storedStarts[row]))
            }
            value.bytes.removeAll(keepingCapacity: true)
            value.append(sessions.ends[row])
            value.append(UInt8(sessions.pending[row] ? 1 : 0))
            value.append(sessions.alerted[row])
            RowCodec.encode(sessions.columns, row: row, layout: layout, values: values, into: &value)
            batch.put(storedKey(key, start: sessions.starts[row]), value.bytes)
            sessions.isStored[row] = true
            sessions.storedStarts[row] = sessions.starts[row]
        }
        sessions.dirtyRows.removeAll()
    }

    /// Loads every session from `store`, given the restored watermark, into an operator that has
    /// processed nothing.
    func restore(from store: RocksDBStore, watermark restored: Int64) throws {
        watermark = PartitionWatermark(outOfOrdernessMs: job.spec.source.watermark.outOfOrdernessMs, current: restored)
        let afterTag = namespace.afterTag
        try store.scan(prefix: namespace.key(StateKeys.sessionRow)) { storedKey, bytes in
            let key = keys.intern(UnsafeRawBufferPointer(rebasing: storedKey[afterTag..<storedKey.count - 8]))
            let start = OrderedKey.readInt64(storedKey, at: storedKey.count - 8)
            var reader = ByteReader(bytes)
            let end = reader.read(Int64.self)
            let row = sessions.open(key: key, start: start, end: end, after: sessions.predecessor(key: key, start: start))
            sessions.pending[row] = reader.read(UInt8.self) != 0
            sessions.alerted[row] = reader.read(UInt32.self)
            RowCodec.decode(sessions.columns, row: row, layout: layout, values: &values, from: &reader)
            sessions.isStored[row] = true
            sessions.storedStarts[row] = start
            schedule(row, due: sessions.pending[row] ? end - 1 : end - 1 + allowedLatenessMs)
            return true
        }
    }

    private func storedKey(_ key: Int32, start: Int64) -> [UInt8] {
        var stored = namespace.key(StateKeys.sessionRow)
        keys.withKey(key) { stored.append(contentsOf: $0) }
        OrderedKey.append(start, to: &stored)
        return stored
    }
}
