import Foundation
import Testing
@testable import StreamCore

/// A fresh directory under the system temp dir, removed after `body`.
func withRocksDBTestDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rocksdb-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

@Suite struct RocksDBStoreTests {
    @Test("put, get and delete round-trip values; absent and empty values stay distinct")
    func putGetDelete() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([1, 2, 3], [10, 20])
            try store.put([4], [])
            #expect(try store.get([1, 2, 3]) == [10, 20])
            #expect(try store.get([4]) == [])
            #expect(try store.get([9]) == nil)

            try store.put([1, 2, 3], [30])
            #expect(try store.get([1, 2, 3]) == [30])

            try store.delete([1, 2, 3])
            #expect(try store.get([1, 2, 3]) == nil)
            #expect(try store.get([4]) == [])
        }
    }

    @Test("withValue exposes the stored bytes without copying, and nil for a missing key")
    func withValueZeroCopy() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([7, 7], [1, 2, 3, 4])
            let key: [UInt8] = [7, 7]
            let sum = try key.withUnsafeBytes { k in
                try store.withValue(forKey: k) { value in value.map { $0.reduce(0) { $0 + Int($1) } } }
            }
            #expect(sum == 10)
            let missing: [UInt8] = [8]
            let seen = try missing.withUnsafeBytes { k in try store.withValue(forKey: k) { $0 != nil } }
            #expect(seen == false)
        }
    }

    @Test("values written without WAL survive close and reopen of the same database")
    func reopenAfterClose() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([5], [55])
            store.close()
            let reopened = try RocksDBStore(path: dir + "/db")
            #expect(try reopened.get([5]) == [55])
        }
    }

    @Test("opening a path that is a regular file fails with a RocksDBError naming the path")
    func openFileFails() throws {
        try withRocksDBTestDirectory { dir in
            let file = dir + "/not-a-dir"
            #expect(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3])))
            let error = #expect(throws: RocksDBError.self) { try RocksDBStore(path: file) }
            #expect(error?.message.contains(file) == true)
            #expect(error?.message.contains("cannot open RocksDB") == true)
        }
    }

    @Test("close is idempotent and later operations throw instead of touching a closed handle")
    func closeIdempotent() throws {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir + "/db")
            try store.put([1], [1])
            store.close()
            store.close()
            let error = #expect(throws: RocksDBError.self) { try store.get([1]) }
            #expect(error?.message == "store is closed")
            #expect(throws: RocksDBError.self) { try store.put([2], [2]) }
            #expect(throws: RocksDBError.self) { try store.scan(prefix: []) { _, _ in true } }
            #expect(throws: RocksDBError.self) { try store.createCheckpoint(at: dir + "/cp") }
        }
    }
}
