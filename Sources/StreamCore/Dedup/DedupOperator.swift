/// A `dedup` step of one partition: the first record per key value goes on, repeats are dropped
/// while its entry lives. Flink's deduplication keeping the first row, with state that expires in
/// event time rather than wall-clock time, so output is a pure function of the partition's records.
///
/// Semantics, exactly (W: the partition's watermark after the record, as windows judge by):
/// - An entry created by a record at event time t expires when W >= t + within - 1 (`expiresAt`),
///   as a window [t, t + within) fires: without out-of-orderness, a repeat at t + within - 1 is
///   dropped and one at t + within passes.
/// - A record whose key value has no live entry passes and creates one with its t (unless W is
///   already past the entry's expiry: it passes and leaves nothing). Otherwise it is dropped.
/// - Entries W has passed are removed before a record is judged and whenever the watermark moves,
///   so state holds the live entries only.
/// - A NULL key value passes and creates nothing (the caller's decision; `Pipeline` makes it).
///
/// State is in memory; checkpoints write the entries created and delete those expired since the
/// last one, under the step's namespace, tag `StateKeys.dedupEntry`.
/// Confined to its task's thread.
final class DedupOperator {
    let namespace: StateNamespace
    let withinMs: Int64
    @exclusivity(unchecked) private var table = DedupTable()
    @exclusivity(unchecked) private var expiry = ExpiryHeap()
    /// Entry ids created since the last checkpoint (some may have expired since, or been reused).
    @exclusivity(unchecked) private var created = StateColumn<Int32>()
    /// The key bytes of entries in the store that expired since the last checkpoint, back to back.
    @exclusivity(unchecked) private var expiredBytes = StateColumn<UInt8>()
    @exclusivity(unchecked) private var expiredLengths = StateColumn<Int32>()
    /// Per entry id: whether the store holds it as of the last checkpoint.
    @exclusivity(unchecked) private var stored = StateColumn<Bool>()

    init(stepId: String, withinMs: Int64) {
        precondition(withinMs > 0, "a dedup step needs a positive within")
        namespace = StateNamespace(stepId: stepId)
        self.withinMs = withinMs
    }

    /// Live entries.
    var entries: Int { table.count }

    /// The watermark at which an entry of a record at `t` expires.
    @inline(__always)
    func expiresAt(_ t: Int64) -> Int64 {
        let (at, overflow) = t.addingReportingOverflow(withinMs - 1)
        return overflow ? Int64.max : at
    }

    /// Whether a record with non-NULL key value `value` at event time `t` passes, given the
    /// watermark `w` after it. Numbers are compared by value (0 and -0 are one key), strings by bytes.
    @inline(__always)
    func admit(_ value: ExprValue, eventTime t: Int64, watermark w: Int64) -> Bool {
        switch value.kind {
        case .string: return admit(key: value.string, eventTime: t, watermark: w)
        case .number:
            let bits = (value.number + 0).bitPattern
            return withUnsafeBytes(of: bits) { admit(key: $0, eventTime: t, watermark: w) }
        case .boolean:
            let byte: UInt8 = value.bool ? 1 : 0
            return withUnsafeBytes(of: byte) { admit(key: $0, eventTime: t, watermark: w) }
        case .null: return true
        }
    }

    @inline(__always)
    func admit(key: UnsafeRawBufferPointer, eventTime t: Int64, watermark w: Int64) -> Bool {
        if expiry.earliest <= w { expire(through: w) }
        let at = expiresAt(t)
        if at <= w { return table.find(key) == nil }
        let (id, inserted) = table.findOrInsert(key, eventTime: t)
        guard inserted else { return false }
        expiry.push(at: at, id: id)
        created.append(id)
        if Int(id) == stored.count { stored.append(false) } else { stored[Int(id)] = false }
        // A run that never checkpoints (a file replay) would otherwise remember every id it created.
        if created.count > 2 * table.count + Self.createdFloor { forgetStaleCreated() }
        return true
    }

    /// `created` is rewritten once it holds this many ids more than twice the live entries.
    static let createdFloor = 4_096

    /// The entries the next checkpoint has to write or delete, as remembered (some may be stale).
    var changesPending: Int { created.count + expiredLengths.count }

    /// Keeps in `created` only the ids a checkpoint would write: live, not stored, each once
    /// (`stored` marks the ones kept while the list is rewritten).
    private func forgetStaleCreated() {
        var kept = StateColumn<Int32>(capacity: max(table.count, 8))
        for i in 0..<created.count {
            let id = created[i]
            guard table.isLive(id), !stored[Int(id)] else { continue }
            stored[Int(id)] = true
            kept.append(id)
        }
        for i in 0..<kept.count { stored[Int(kept[i])] = false }
        created = kept
    }

    /// Removes the entries that watermark `w` has passed.
    func expire(through w: Int64) {
        // `earliest` of an empty heap is Int64.max, which the end of input's watermark reaches.
        while expiry.count > 0 && expiry.earliest <= w {
            let id = expiry.pop().id
            if stored[Int(id)] {
                let key = table.key(Int(id))
                if key.count > 0 { expiredBytes.append(contentsOf: key.assumingMemoryBound(to: UInt8.self)) }
                expiredLengths.append(Int32(key.count))
                stored[Int(id)] = false
            }
            table.remove(id)
        }
    }

    /// Adds the entries created and expired since the last checkpoint to `batch`, after expiring
    /// what the watermark `w` has passed; then forgets what it wrote.
    func snapshotChanges(into batch: RocksDBWriteBatch, watermark w: Int64) {
        expire(through: w)
        var key = namespace.key(StateKeys.dedupEntry)
        let prefix = key.count
        // Deletes first: a key expired and created again since the last checkpoint is put after.
        var at = 0
        for i in 0..<expiredLengths.count {
            let n = Int(expiredLengths[i])
            key.removeSubrange(prefix...)
            key.append(contentsOf: UnsafeBufferPointer(start: expiredBytes.pointer(to: at), count: n))
            batch.delete(key)
            at += n
        }
        expiredBytes.removeAll()
        expiredLengths.removeAll()
        var value = ByteWriter()
        for i in 0..<created.count {
            let id = Int(created[i])
            guard table.isLive(Int32(id)), !stored[id] else { continue }
            key.removeSubrange(prefix...)
            key.append(contentsOf: table.key(id))
            value.bytes.removeAll(keepingCapacity: true)
            value.append(table.eventTimes[id])
            batch.put(key, value.bytes)
            stored[id] = true
        }
        created.removeAll()
    }

    /// Loads the entries of a restored store, given the restored watermark. An entry the watermark
    /// has passed stays out of memory, and the next checkpoint deletes it.
    func restore(from store: RocksDBStore, watermark w: Int64) throws {
        let afterTag = namespace.afterTag
        try store.scan(prefix: namespace.key(StateKeys.dedupEntry)) { key, value in
            let bytes = UnsafeRawBufferPointer(rebasing: key[afterTag...])
            var reader = ByteReader(value)
            let t = reader.read(Int64.self)
            let at = expiresAt(t)
            if at <= w {
                if bytes.count > 0 { expiredBytes.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self)) }
                expiredLengths.append(Int32(bytes.count))
                return true
            }
            let (id, _) = table.findOrInsert(bytes, eventTime: t)
            expiry.push(at: at, id: id)
            if Int(id) == stored.count { stored.append(true) } else { stored[Int(id)] = true }
            return true
        }
    }
}
