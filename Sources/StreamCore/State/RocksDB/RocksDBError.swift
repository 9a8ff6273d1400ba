import CRocksDB

/// A failure reported by RocksDB (or by misuse of a closed store), with RocksDB's own message.
public struct RocksDBError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "RocksDBError: \(message)" }

    /// Takes ownership of a C `errptr` string: copies it into the error and frees it.
    static func consuming(_ cMessage: UnsafeMutablePointer<CChar>, _ operation: String) -> RocksDBError {
        defer { rocksdb_free(cMessage) }
        return RocksDBError("\(operation): \(String(cString: cMessage))")
    }

    static let closed = RocksDBError("store is closed")
}
