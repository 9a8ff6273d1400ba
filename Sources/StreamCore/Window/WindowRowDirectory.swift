/// Per key, its row in each of the operator's recent windows, side by side: a sliding record
/// finds its rows in ten windows through one cache line instead of a hash probe in each window's
/// own index, each in a different part of memory.
///
/// A window takes the place `end / slide` modulo the ring when it is created. The ring covers the
/// windows a watermark keeps alive (size, out-of-orderness and lateness over the slide), up to 16
/// places (one cache line per key); a window whose place another live window holds (a longer
/// span, or a record far ahead of the watermark) finds its rows through its own `RowIndex`.
///
/// Raw memory read without bounds or uniqueness checks; confined to the task's thread.
struct WindowRowDirectory: ~Copyable {
    static let none: Int32 = -1
    private static let maxPlaces = 16

    /// Places per key, a power of two.
    let places: Int
    private let slideMs: Int64
    /// `rows[key * places + place]`: the key's row in the window holding `place`, or `none`.
    private var rows: UnsafeMutablePointer<Int32>
    /// `rows`' memory, aligned so a key's 16 places are one cache line.
    private var storage: UnsafeMutableRawPointer
    private var keyCapacity = 0
    /// Bit p: a live window holds place p.
    private var held: UInt32 = 0

    init(sizeMs: Int64, slideMs: Int64, outOfOrdernessMs: Int64, allowedLatenessMs: Int64) {
        // Window ends a watermark keeps alive lie within size + out-of-orderness + lateness of
        // the newest; one place more for the window a record opens before the watermark moves.
        let span = (sizeMs + outOfOrdernessMs + allowedLatenessMs) / slideMs + 2
        var places = 1
        while places < min(Int(clamping: span), Self.maxPlaces) { places <<= 1 }
        self.places = places
        self.slideMs = slideMs
        storage = .allocate(byteCount: 0, alignment: 64)
        rows = storage.bindMemory(to: Int32.self, capacity: 0)
    }

    deinit { storage.deallocate() }

    /// A place for a new window ending at `end`, or -1 when a live window holds it.
    mutating func claim(end: Int64) -> Int {
        let q = end / slideMs - (end % slideMs < 0 ? 1 : 0)
        let place = Int(truncatingIfNeeded: q) & (places - 1)
        if held & (1 << UInt32(place)) != 0 { return -1 }
        held |= 1 << UInt32(place)
        return place
    }

    /// Gives up `place` once its window holds no rows here (see `clear`).
    mutating func release(_ place: Int) {
        held &= ~(1 << UInt32(place))
    }

    @inline(__always)
    func row(of key: Int32, place: Int) -> Int32 {
        let key = Int(key)
        return key < keyCapacity ? rows[key * places + place] : Self.none
    }

    @inline(__always)
    mutating func set(_ key: Int32, place: Int, row: Int) {
        let key = Int(key)
        if key >= keyCapacity { grow(toCover: key) }
        rows[key * places + place] = Int32(truncatingIfNeeded: row)
    }

    @inline(__always)
    func clear(_ key: Int32, place: Int) {
        let key = Int(key)
        if key < keyCapacity { rows[key * places + place] = Self.none }
    }

    private mutating func grow(toCover key: Int) {
        let capacity = max(key + 1, keyCapacity * 2, 1024)
        let grownStorage = UnsafeMutableRawPointer.allocate(byteCount: capacity * places * 4, alignment: 64)
        let grown = grownStorage.bindMemory(to: Int32.self, capacity: capacity * places)
        grown.initialize(from: rows, count: keyCapacity * places)
        (grown + keyCapacity * places).initialize(repeating: Self.none, count: (capacity - keyCapacity) * places)
        storage.deallocate()
        storage = grownStorage
        rows = grown
        keyCapacity = capacity
    }
}
