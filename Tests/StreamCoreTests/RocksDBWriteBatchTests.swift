import Testing
@testable import StreamCore

@Suite struct RocksDBWriteBatchTests {
    @Test("a batch applies puts, deletes and a half-open deleteRange [from, to) together")
    func batchWithDeleteRange() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            for i: UInt8 in 0..<10 { try store.put([i], [i]) }

            let batch = RocksDBWriteBatch()
            batch.deleteRange(from: [3], to: [6])
            batch.delete([8])
            batch.put([20], [2, 0])
            [UInt8]([21]).withUnsafeBytes { k in [UInt8]([2, 1]).withUnsafeBytes { v in batch.put(k, v) } }
            #expect(batch.count == 4)
            #expect(try store.get([20]) == nil)

            try store.write(batch)
            var keys: [UInt8] = []
            try store.scan(prefix: []) { key, _ in keys.append(key[0]); return true }
            #expect(keys == [0, 1, 2, 6, 7, 9, 20, 21])
            #expect(try store.get([21]) == [2, 1])
        }
    }

    @Test("clear empties a batch so it can be reused without replaying old operations")
    func clearReuses() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            let batch = RocksDBWriteBatch()
            batch.put([1], [1])
            batch.clear()
            #expect(batch.count == 0)
            batch.put([2], [2])
            try store.write(batch)
            #expect(try store.get([1]) == nil)
            #expect(try store.get([2]) == [2])
        }
    }
}
