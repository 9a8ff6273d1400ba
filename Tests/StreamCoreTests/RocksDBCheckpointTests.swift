import Testing
@testable import StreamCore

@Suite struct RocksDBCheckpointTests {
    @Test("a reopened checkpoint holds exactly the state at checkpoint time, unaffected by later writes")
    func checkpointIsSnapshot() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([1], [1])
            try store.flush()
            try store.put([2], [2])  // still in the memtable (no WAL): the checkpoint must flush it
            try store.put([3], [3])
            try store.createCheckpoint(at: dir + "/cp1")

            try store.put([1], [100])
            try store.delete([2])
            try store.put([4], [4])

            let checkpoint = try RocksDBStore(path: dir + "/cp1")
            var state: [[UInt8]] = []
            try checkpoint.scan(prefix: []) { key, value in state.append(Array(key) + Array(value)); return true }
            #expect(state == [[1, 1], [2, 2], [3, 3]])
            #expect(try store.get([1]) == [100])
            #expect(try store.get([2]) == nil)
        }
    }

    @Test("checkpointing onto an existing path fails with a RocksDBError")
    func existingTargetFails() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([1], [1])
            try store.createCheckpoint(at: dir + "/cp")
            #expect(throws: RocksDBError.self) { try store.createCheckpoint(at: dir + "/cp") }
        }
    }

    @Test("1M keys written in batches of 10K are all present in a reopened checkpoint")
    func millionKeys() throws {
        try withRocksDBTestDirectory { dir in
            let total = 1_000_000
            let batchSize = 10_000
            let store = try RocksDBStore(path: dir + "/db")
            let batch = RocksDBWriteBatch()
            var key: [UInt8] = []
            key.reserveCapacity(12)
            var value = [UInt8](repeating: 0xAB, count: 32)
            for i in 0..<total {
                key.removeAll(keepingCapacity: true)
                OrderedKey.append(UInt32(i % 16), to: &key)
                OrderedKey.append(Int64(i), to: &key)
                value[0] = UInt8(truncatingIfNeeded: i)
                batch.put(key, value)
                if batch.count == batchSize {
                    try store.write(batch)
                    batch.clear()
                }
            }
            try store.createCheckpoint(at: dir + "/cp")
            store.close()

            let checkpoint = try RocksDBStore(path: dir + "/cp")
            var count = 0
            var ordered = true
            var previous = Int64.min
            try checkpoint.scan(prefix: []) { key, _ in
                count += 1
                let id = OrderedKey.readInt64(key, at: 4)
                if Int(OrderedKey.readUInt32(key, at: 0)) == 15 {
                    ordered = ordered && id > previous
                    previous = id
                }
                return true
            }
            #expect(count == total)
            #expect(ordered)
            var shardCount = 0
            var shard: [UInt8] = []
            OrderedKey.append(UInt32(3), to: &shard)
            try checkpoint.scan(prefix: shard) { _, _ in shardCount += 1; return true }
            #expect(shardCount == total / 16)
        }
    }
}
