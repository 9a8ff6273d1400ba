/// Layout of a task's state in its RocksDB store. Big-endian, sign-flipped window ends make
/// RocksDB's byte order the windows' time order.
///
/// Each stateful step keeps its state under its own `StateNamespace` (its step id), so two
/// stateful steps of one job do not collide and a savepoint's state maps to steps by id.
enum StateKeys {
    /// Window rows: namespace + `w` + end + key bytes.
    static let windowRow: UInt8 = UInt8(ascii: "w")
    /// Session windows (`SessionWindowOperator`): namespace + `s` + key bytes + start.
    static let sessionRow: UInt8 = UInt8(ascii: "s")
    /// Rule memory: namespace + `r` + end + key bytes.
    static let ruleMemory: UInt8 = UInt8(ascii: "r")
    /// Dedup entries (`DedupOperator`): namespace + `d` + key value bytes; the value is the event
    /// time of the record that created the entry.
    static let dedupEntry: UInt8 = UInt8(ascii: "d")
    /// A stage-2 task's upstream watermarks (`UpstreamWatermarks`): `u`.
    static let upstreamWatermarks: [UInt8] = [UInt8(ascii: "u")]
    /// Task metadata (offsets, watermark, sink sequences): `m`.
    static let metadata: [UInt8] = [UInt8(ascii: "m")]
    /// The first byte of every step's namespace.
    static let step: UInt8 = UInt8(ascii: "o")
    /// The layout this engine writes and reads (`TaskCheckpointMetadata.stateLayout`).
    static let layout = 2
}

/// One stateful step's part of the store: `o`, the step id's byte count (two bytes, big-endian)
/// and its bytes; the step's own tags follow.
struct StateNamespace: Sendable, Equatable {
    let bytes: [UInt8]

    init(stepId: String) {
        let id = Array(stepId.utf8)
        precondition(id.count <= Int(UInt16.max), "step id too long")
        bytes = [StateKeys.step, UInt8(id.count >> 8), UInt8(id.count & 0xFF)] + id
    }

    /// The first key of `tag`'s records.
    func key(_ tag: UInt8) -> [UInt8] { bytes + [tag] }

    /// The first key of `tag`'s records for the window ending at `end`.
    func key(_ tag: UInt8, end: Int64) -> [UInt8] {
        var key = bytes
        key.reserveCapacity(bytes.count + 9)
        key.append(tag)
        OrderedKey.append(end, to: &key)
        return key
    }

    /// Where a key's bytes after the tag start.
    var afterTag: Int { bytes.count + 1 }
    /// Where a key's bytes after the tag and a window end start.
    var afterEnd: Int { bytes.count + 9 }

    /// The ids of the steps that have state in `store`, in key order.
    static func stepIds(in store: RocksDBStore) throws -> [String] {
        var ids: [String] = []
        var from: [UInt8] = [StateKeys.step]
        while let key = try store.firstKey(from: from, prefix: [StateKeys.step]) {
            guard key.count >= 3, key.count >= 3 + (Int(key[1]) << 8 | Int(key[2])) else { break }
            let namespace = Array(key[0..<3 + (Int(key[1]) << 8 | Int(key[2]))])
            ids.append(String(decoding: namespace[3...], as: UTF8.self))
            // Namespaces of one length differ in their id bytes, so the successor passes this one only.
            from = RocksDBStore.prefixSuccessor(namespace)
            if from.isEmpty { break }
        }
        return ids
    }
}

/// Little-endian fixed-width encoding of row values (state is only read back by this engine).
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func append(bytes b: UnsafeRawBufferPointer) {
        append(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
}

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T {
        let v = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return v
    }
    mutating func readBytes() -> UnsafeRawBufferPointer {
        let n = Int(read(UInt32.self))
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
    }
}
