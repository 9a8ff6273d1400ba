import Testing
@testable import StreamCore

/// A dedup step's operator alone: which records pass, when entries expire, and that its table
/// stays right through growth, removal and compaction.
@Suite struct DedupOperatorTests {
    /// Judges string key `key` at `t`; the watermark defaults to the one after a record at `t`
    /// without out-of-orderness (`t - 1`).
    func admit(_ op: DedupOperator, _ key: String, at t: Int64, watermark w: Int64? = nil) -> Bool {
        Array(key.utf8).withUnsafeBytes { op.admit(key: $0, eventTime: t, watermark: w ?? t - 1) }
    }

    @Test("the first record of a key value passes; a repeat before t + within is dropped, one at t + within passes")
    func firstPassesRepeatsDropped() {
        let op = DedupOperator(stepId: "d", withinMs: 1_000)
        #expect(admit(op, "a", at: 0))
        #expect(!admit(op, "a", at: 500))
        #expect(!admit(op, "a", at: 999))            // W = 998 < 0 + 1000 - 1: the entry lives
        #expect(admit(op, "b", at: 999))             // another key value
        #expect(admit(op, "a", at: 1_000))           // W = 999: a's entry expired first
        #expect(!admit(op, "a", at: 1_500))          // the new entry, created at 1000, drops it
        #expect(op.entries == 2)
    }

    @Test("a repeat arriving out of order is dropped while the entry lives; a record already past its expiry passes and leaves nothing")
    func outOfOrder() {
        let op = DedupOperator(stepId: "d", withinMs: 1_000)
        #expect(admit(op, "a", at: 5_000, watermark: 0))
        #expect(!admit(op, "a", at: 100, watermark: 0))
        // Its entry would expire at 999, which the watermark has passed: nothing to remember.
        #expect(admit(op, "b", at: 0, watermark: 3_000))
        #expect(admit(op, "b", at: 10, watermark: 3_000))
        #expect(op.entries == 1)
    }

    @Test("entries expire as the watermark reaches t + within - 1, and the entry count falls with them")
    func expiry() {
        let op = DedupOperator(stepId: "d", withinMs: 1_000)
        for i in 0..<10 { #expect(admit(op, "k\(i)", at: Int64(i) * 100, watermark: 0)) }
        op.expire(through: 998)
        #expect(op.entries == 10)
        op.expire(through: 999)
        #expect(op.entries == 9)
        op.expire(through: 1_399)
        #expect(op.entries == 5)
        #expect(admit(op, "k0", at: 1_400, watermark: 1_399))    // expired: a first record again
        #expect(!admit(op, "k5", at: 1_400, watermark: 1_399))   // expires at 1499: still dropped
        op.expire(through: 2_399)
        #expect(op.entries == 0)
    }

    @Test("number key values compare by value (0 and -0 are one), booleans by value")
    func typedKeys() {
        let op = DedupOperator(stepId: "d", withinMs: 1_000)
        #expect(op.admit(.number(0), eventTime: 0, watermark: -1))
        #expect(!op.admit(.number(-0.0), eventTime: 1, watermark: 0))
        #expect(op.admit(.number(1), eventTime: 2, watermark: 1))
        #expect(op.admit(.boolean(true), eventTime: 3, watermark: 2))
        #expect(!op.admit(.boolean(true), eventTime: 4, watermark: 3))
        #expect(op.admit(.boolean(false), eventTime: 5, watermark: 4))
        #expect(op.admit(.null, eventTime: 6, watermark: 5))
        #expect(op.admit(.null, eventTime: 7, watermark: 6))
        #expect(op.entries == 4)
    }

    @Test("many key values: every live one still drops its repeats after the table grew, removed entries and compacted its bytes")
    func manyKeys() {
        let op = DedupOperator(stepId: "d", withinMs: 1_000)
        let pad = String(repeating: "x", count: 40)
        // 20 000 keys at t = 0..<20000 (one per ms), so entries expire one by one as W moves.
        for i in 0..<20_000 { #expect(admit(op, "\(pad)\(i)", at: Int64(i), watermark: -1)) }
        #expect(op.entries == 20_000)
        op.expire(through: 16_998)          // keys 0...15999 expired (t + 999 <= 16998)
        #expect(op.entries == 4_000)
        var wrong: [Int] = []
        for i in 0..<20_000 where admit(op, "\(pad)\(i)", at: 16_000, watermark: 16_998) != (i < 16_000) { wrong.append(i) }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        // The 16 000 keys judged again are new entries (at 16000) beside the 4 000 that lived.
        #expect(op.entries == 20_000)
    }

    @Test("without checkpoints the changes it remembers stay bounded by the live entries; a checkpoint then writes exactly the live ones")
    func pendingChangesBounded() throws {
        let op = DedupOperator(stepId: "d", withinMs: 100)
        // 50 000 key values, one per ms, each living 100 ms: about 100 live at any time.
        var most = 0
        for i in 0..<50_000 {
            #expect(admit(op, "k\(i)", at: Int64(i)))
            most = max(most, op.changesPending)
        }
        #expect(op.entries == 100)
        #expect(most <= 3 * 100 + DedupOperator.createdFloor + 1, "\(most) changes remembered")
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            let batch = RocksDBWriteBatch()
            op.snapshotChanges(into: batch, watermark: 49_998)
            try store.write(batch)
            var stored: Set<String> = []
            try store.scan(prefix: op.namespace.key(StateKeys.dedupEntry)) { key, _ in
                stored.insert(String(decoding: UnsafeRawBufferPointer(rebasing: key[op.namespace.afterTag...]), as: UTF8.self))
                return true
            }
            #expect(stored == Set((49_900..<50_000).map { "k\($0)" }))
        }
    }
}
