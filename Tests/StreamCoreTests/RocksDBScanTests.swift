import Testing
@testable import StreamCore

@Suite struct RocksDBScanTests {
    @Test("scan visits exactly the keys with the prefix, in key order, with their values")
    func prefixInOrder() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            let keys: [[UInt8]] = [[1, 9], [2, 5, 0], [2], [2, 0xFF, 0xFF], [2, 1], [3], [1, 0xFF], [2, 5]]
            for key in keys { try store.put(key, key + [42]) }

            var seen: [[UInt8]] = []
            try store.scan(prefix: [2]) { key, value in
                #expect(Array(value) == Array(key) + [42])
                seen.append(Array(key))
                return true
            }
            #expect(seen == [[2], [2, 1], [2, 5], [2, 5, 0], [2, 0xFF, 0xFF]])
        }
    }

    @Test("a prefix of 0xFF bytes (no finite upper bound) still stops at keys outside the prefix")
    func allOnesPrefix() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            for key: [UInt8] in [[0xFF], [0xFF, 0xFF], [0xFF, 0xFF, 0], [0xFF, 0xFE], [0xFE]] { try store.put(key, []) }
            var seen: [[UInt8]] = []
            try store.scan(prefix: [0xFF, 0xFF]) { key, _ in seen.append(Array(key)); return true }
            #expect(seen == [[0xFF, 0xFF], [0xFF, 0xFF, 0]])
            #expect(RocksDBStore.prefixSuccessor([0xFF, 0xFF]) == [])
            #expect(RocksDBStore.prefixSuccessor([1, 0xFF]) == [2])
        }
    }

    @Test("returning false from the body stops the scan after that key")
    func earlyStop() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            for i: UInt8 in 0..<50 { try store.put([7, i], []) }
            var seen: [UInt8] = []
            try store.scan(prefix: [7]) { key, _ in
                seen.append(key[1])
                return seen.count < 3
            }
            #expect(seen == [0, 1, 2])
        }
    }

    @Test("an error thrown by the body propagates out of scan")
    func bodyErrorPropagates() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([1], [])
            #expect(throws: RocksDBError.self) {
                try store.scan(prefix: []) { _, _ in throw RocksDBError("stop") }
            }
            #expect(try store.get([1]) == [])
        }
    }
}
