/// The rows of overlapping windows (sliding: a record updates size/slide of them) in blocks, one
/// block per key with rows in memory: the key's row in each recent window side by side, so a
/// record's ten updates touch a few adjacent cache lines instead of ten rows far apart.
///
/// A window takes a place in the blocks, `end / slide` modulo `places`, when it is created. The
/// places cover the windows a watermark keeps alive (size, out-of-orderness and lateness over the
/// slide; a record ahead of the watermark first moves it, closing the windows it passes). A window
/// whose place another live window holds (more overlapping windows than `maxPlaces`) keeps its
/// rows in columns of its own. Confined to the task's thread.
struct KeyBlockRows: ~Copyable {
    static let maxPlaces = 64

    /// Rows per block; 0 for windows that do not overlap (each record has one window).
    let places: Int
    private let slideMs: Int64
    let columns: RowColumns
    /// Key id -> its block, or -1.
    private var blockOfKey = StateColumn<Int32>()
    /// Per block, bit p: its row at place p holds a row of the window at p.
    private var present = StateColumn<UInt64>()
    private var freeBlocks = StateColumn<Int32>()
    /// Bit p: a live window holds place p.
    private var held: UInt64 = 0

    init(assigner: WindowAssigner, outOfOrdernessMs: Int64, layout: AggregateLayout) {
        if assigner.slideMs < assigner.sizeMs {
            // The ends of the windows a watermark keeps alive lie within size + out-of-orderness
            // + lateness of each other: at most ceil(span / slide) + 1 of them.
            let span = assigner.sizeMs + outOfOrdernessMs + assigner.allowedLatenessMs
            places = min(Int(clamping: (span + assigner.slideMs - 1) / assigner.slideMs) + 1, Self.maxPlaces)
        } else {
            places = 0
        }
        slideMs = assigner.slideMs
        columns = RowColumns(layout)
    }

    /// Rows of the blocks in use, used or not.
    var rowsHeld: Int { (present.count - freeBlocks.count) * places }

    /// The place a window ending at `end` takes when it is free.
    @inline(__always)
    func place(ofEnd end: Int64) -> Int {
        let q = end / slideMs - (end % slideMs < 0 ? 1 : 0)
        return Int(((q % Int64(places)) + Int64(places)) % Int64(places))
    }

    /// A place for a new window ending at `end`, or -1 when none is free.
    mutating func claim(end: Int64) -> Int {
        guard places > 0 else { return -1 }
        let place = place(ofEnd: end)
        if held & (1 << UInt64(place)) != 0 { return -1 }
        held |= 1 << UInt64(place)
        return place
    }

    /// Gives up `place` once its window's rows were all cleared.
    mutating func release(_ place: Int) {
        held &= ~(1 << UInt64(place))
    }

    /// The key's row in the window at `place`, or -1.
    @inline(__always)
    func row(of key: Int32, place: Int) -> Int {
        let block = block(of: key)
        guard block >= 0, present[block] & (1 << UInt64(place)) != 0 else { return -1 }
        return block * places + place
    }

    /// The key's block, or -1 when it has no row in memory.
    @inline(__always)
    func block(of key: Int32) -> Int {
        let k = Int(key)
        return k < blockOfKey.count ? Int(blockOfKey[k]) : -1
    }

    /// Starts loading which block `key` has.
    @inline(__always)
    func prefetchBlockNumber(of key: Int32) {
        if Int(key) < blockOfKey.count { blockOfKey.prefetch(Int(key)) }
    }

    /// Starts loading the key's block, when it has one (which block should be cached by then:
    /// this reads it).
    @inline(__always)
    func prefetchBlock(of key: Int32) {
        let block = block(of: key)
        guard block >= 0 else { return }
        present.prefetch(block)
        columns.prefetchRows(block * places, count: places)
    }

    /// Bit p: `block` holds a row of the window at place p.
    @inline(__always)
    func presentPlaces(in block: Int) -> UInt64 {
        present[block]
    }

    /// A row for `key` in the window at `place`, which has none; set to the empty row.
    mutating func addRow(for key: Int32, place: Int) -> Int {
        let k = Int(key)
        while blockOfKey.count <= k { blockOfKey.append(-1) }
        var block = Int(blockOfKey[k])
        if block < 0 {
            block = takeBlock(for: key)
            blockOfKey[k] = Int32(block)
        }
        present[block] |= 1 << UInt64(place)
        return block * places + place
    }

    /// Empties `row`; its block is freed with its last row.
    mutating func clear(_ row: Int) {
        let block = row / places, place = row - block * places
        columns.reset(row)
        present[block] &= ~(1 << UInt64(place))
        if present[block] == 0 {
            blockOfKey[Int(columns.keys[row])] = -1
            freeBlocks.append(Int32(block))
        }
    }

    private mutating func takeBlock(for key: Int32) -> Int {
        if freeBlocks.count > 0 {
            let block = Int(freeBlocks[freeBlocks.count - 1])
            freeBlocks.removeLast()
            for row in block * places..<(block + 1) * places { columns.keys[row] = key }
            return block
        }
        let block = present.count
        present.append(0)
        for _ in 0..<places { _ = columns.append(key: key) }
        return block
    }
}
