/// The live windows that hold a place in the key blocks, by place, and the last run of places
/// found to hold a record's windows: records of the same slide share it, so a sliding job checks
/// its ten windows once per slide and per change of windows, not once per record.
///
/// Unretained: the operator's `windows` keeps them alive and calls `remove` before letting one go.
/// Confined to the task's thread.
struct PlacedWindows: ~Copyable {
    let places: Int
    private let slideMs: Int64
    private let windows: UnsafeMutablePointer<Unmanaged<WindowState>?>
    private var runFirstEnd = Int64.min
    private var runFirstPlace = 0
    private var runPlaces: UInt64 = 0

    init(places: Int, slideMs: Int64) {
        self.places = places
        self.slideMs = slideMs
        windows = .allocate(capacity: max(places, 1))
        windows.initialize(repeating: nil, count: max(places, 1))
    }

    deinit { windows.deallocate() }

    mutating func set(_ window: WindowState, at place: Int) {
        windows[place] = Unmanaged.passUnretained(window)
        runFirstEnd = Int64.min
    }

    mutating func remove(at place: Int) {
        windows[place] = nil
        runFirstEnd = Int64.min
    }

    /// The window at `place`, which must hold one.
    @inline(__always)
    func window(at place: Int) -> Unmanaged<WindowState> {
        windows[place].unsafelyUnwrapped
    }

    /// For the `count` windows ending at `firstEnd`, `firstEnd + slide`, …: the place of the
    /// first and a bit per place of all, when each is live at its place (`firstPlace` is where
    /// the first would be); nil when one is missing or elsewhere.
    @inline(__always)
    mutating func run(firstEnd: Int64, count: Int, firstPlace: @autoclosure () -> Int) -> (first: Int, places: UInt64)? {
        if firstEnd == runFirstEnd { return (runFirstPlace, runPlaces) }
        guard count < places else { return nil }
        let first = firstPlace()
        var mask: UInt64 = 0, place = first, end = firstEnd
        for _ in 0..<count {
            guard let window = windows[place], window._withUnsafeGuaranteedRef({ $0.end == end }) else { return nil }
            mask |= 1 << UInt64(place)
            place = place + 1 == places ? 0 : place + 1
            end += slideMs
        }
        (runFirstEnd, runFirstPlace, runPlaces) = (firstEnd, first, mask)
        return (first, mask)
    }
}
