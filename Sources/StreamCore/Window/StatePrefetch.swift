/// Where the records a few places ahead stand in the three steps that load their keys' state.
///
/// With many keys, a record's key and rows are cache misses at random places, each found through
/// the one before: the key table's slot gives the key's id, the id its bounds, hash and row, the
/// bounds its bytes. Loading them records ahead, one step per record processed, overlaps these
/// misses with the work of the records in between instead of waiting for each in turn.
struct StatePrefetch: ~Copyable {
    /// Records between a record's first step and its processing.
    static let distance = 16
    /// Keys below this fit the caches: the steps would cost instructions and save nothing.
    static let minimumKeys = 1 << 15

    /// Per ring position: the hash of the record's key hint (nil: it had none), and the candidate
    /// id the second step found for it (-1: none).
    private let hashes: UnsafeMutablePointer<UInt64?>
    private let ids: UnsafeMutablePointer<Int32>
    private var next = 0

    init() {
        hashes = .allocate(capacity: Self.distance)
        hashes.initialize(repeating: nil, count: Self.distance)
        ids = .allocate(capacity: Self.distance)
        ids.initialize(repeating: -1, count: Self.distance)
    }

    deinit {
        hashes.deallocate()
        ids.deallocate()
    }

    /// Takes the hint of the record `distance` ahead; returns the ring positions of the records
    /// whose second step (`distance / 2` ahead) and third step (`distance / 4` ahead) are due.
    @inline(__always)
    mutating func advance(hash: UInt64?) -> (second: Int, third: Int) {
        let position = next
        next = (next + 1) & (Self.distance - 1)
        hashes[position] = hash
        ids[position] = -1
        // The record `distance / 2` ahead took its first step `distance / 2` calls ago.
        return ((position + Self.distance / 2) & (Self.distance - 1),
                (position + Self.distance / 4) & (Self.distance - 1))
    }

    @inline(__always)
    func hash(_ position: Int) -> UInt64? { hashes[position] }

    @inline(__always)
    func id(_ position: Int) -> Int32 { ids[position] }

    @inline(__always)
    func setId(_ position: Int, _ id: Int32) { ids[position] = id }
}

extension WindowOperator {
    /// Records between `prefetchState(ofKey:)` for a record and its `process`.
    public static var prefetchDistance: Int { StatePrefetch.distance }

    /// Starts loading the state the record `prefetchDistance` records ahead will reach, given its
    /// record key as a hint: call once per record processed, in order, with nil past the last
    /// record of a batch or for a record without a key. The hint assumes the record key is the
    /// grouping key (Kafka topics partitioned by it, as the BSS topics are); a wrong hint only loads
    /// what is not needed, never changes a result.
    @inline(__always)
    public func prefetchState(ofKey key: UnsafeRawBufferPointer?) {
        guard keys.count >= StatePrefetch.minimumKeys else { return }
        let hash = key.map(KeyTable.hash)
        if let hash { keys.prefetchSlot(ofHash: hash) }
        let (second, third) = prefetch.advance(hash: hash)
        if let hash = prefetch.hash(second) {
            let id = keys.firstCandidate(ofHash: hash)
            prefetch.setId(second, id)
            if id >= 0 {
                keys.prefetchEntry(id)
                prefetchRowLocation(ofKey: id)
            }
        }
        let id = prefetch.id(third)
        if id >= 0 {
            keys.prefetchKey(id)
            prefetchRow(ofKey: id)
        }
    }

    /// Starts loading where the key's row is found: its key block number (overlapping windows),
    /// else its slot in the newest window's index.
    @inline(__always)
    private func prefetchRowLocation(ofKey id: Int32) {
        if blocks.places > 0 {
            blocks.prefetchBlockNumber(of: id)
        } else {
            windows.last?.prefetchIndexSlot(for: id)
        }
    }

    /// Starts loading the key's row (its block, or its row in the newest window), found through
    /// what `prefetchRowLocation` loaded.
    @inline(__always)
    private func prefetchRow(ofKey id: Int32) {
        if blocks.places > 0 {
            blocks.prefetchBlock(of: id)
        } else {
            windows.last?.prefetchRow(for: id)
        }
    }
}
