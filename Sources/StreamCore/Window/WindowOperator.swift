/// Event-time windowed aggregation of one input partition (docs/jobs.md, "Windows"): assigns each
/// record to its windows, aggregates per key, fires windows as the watermark passes their end,
/// re-fires on allowed-late updates, drops late windows, routes late records, evaluates threshold
/// rules, and hands each result to the sinks whose `when` it meets.
///
/// Output is a pure function of the record sequence and the restored state: rows of a firing
/// are emitted in key byte order, never in hash or insertion order.
///
/// Confined to its task's thread and never re-entered: hot state skips runtime exclusivity checks.
public final class WindowOperator {
    public let job: CompiledJob
    let step: WindowStep
    /// Where this step's state lives in the task's store.
    let namespace: StateNamespace
    let assigner: WindowAssigner
    let layout: AggregateLayout
    private let sinks: ResultSinks
    private let alertEncoder: AlertEncoder?
    let rules: [CompiledRule]

    @exclusivity(unchecked) public internal(set) var watermark: PartitionWatermark
    @exclusivity(unchecked) var keys = KeyTable()
    /// One value table per countBy aggregation.
    @exclusivity(unchecked) var values: [KeyTable]
    /// Per rule, where its metric lies, in raw memory read without retains.
    private let ruleMetrics: UnsafeMutablePointer<RuleMetric>
    private let update: AggregateUpdate
    /// Live windows in increasing `end` order.
    @exclusivity(unchecked) var windows: [WindowState] = []
    /// Rows of overlapping windows, a key's side by side.
    @exclusivity(unchecked) var blocks: KeyBlockRows
    /// The windows holding places in `blocks`, by place.
    @exclusivity(unchecked) private var placed: PlacedWindows
    /// The first words of a record's rows in its windows, while they are updated together.
    private let rowBases: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var ruleMemory = RuleMemory()
    /// Loads the state of the records a few places ahead (`prefetchState(ofKey:)`).
    @exclusivity(unchecked) var prefetch = StatePrefetch()
    /// Ends of windows dropped since the last checkpoint (their stored rows must go).
    @exclusivity(unchecked) var droppedSinceCheckpoint: [Int64] = []
    /// The task's RocksDB store: rows beyond `maxRowsInMemory` are evicted to it.
    private(set) var store: RocksDBStore?
    private(set) var maxRowsInMemory = Int.max
    /// Rows moved from memory to the store by spilling, since the task started (a metric).
    private(set) var rowsSpilled = 0
    /// Rows held in memory across all live windows, a key block counting all its places: the
    /// memory budget bounds what is allocated, not only what is in use.
    public var rowsInMemory: Int { ownRows + blocks.rowsHeld }
    /// Rows in memory of windows with columns of their own.
    @exclusivity(unchecked) private var ownRows = 0
    private var drain: ((inout OutputBatch) throws -> Void)?
    private var drainThreshold = Int.max

    /// `job` must have a window step.
    public init(job: CompiledJob) {
        let spec = job.spec
        guard let step = spec.window else { preconditionFailure("job \(spec.name) has no window") }
        self.job = job
        self.step = step
        namespace = StateNamespace(stepId: step.id)
        assigner = WindowAssigner(step.window)
        layout = AggregateLayout(step.aggregations, operandSlots: job.operandSlots, conditionSlots: job.conditionSlots)
        let keyName = spec.groupKey.leaf
        sinks = ResultSinks(job: job, layout: layout)
        alertEncoder = step.rules.map { AlertEncoder(job: spec.name, rules: $0, keyName: keyName) }
        rules = step.rules?.rules.map { CompiledRule($0, aggregations: step.aggregations) } ?? []
        precondition(rules.count <= 32, "at most 32 rules per job")
        values = (0..<layout.countByTables).map { _ in KeyTable(capacity: 64) }
        update = AggregateUpdate(layout: layout)
        ruleMetrics = .allocate(capacity: rules.count)
        ruleMetrics.initialize(from: rules.map { [layout] in RuleMetric($0, layout: layout) }, count: rules.count)
        watermark = PartitionWatermark(outOfOrdernessMs: spec.source.watermark.outOfOrdernessMs)
        blocks = KeyBlockRows(assigner: assigner, outOfOrdernessMs: spec.source.watermark.outOfOrdernessMs, layout: layout)
        placed = PlacedWindows(places: blocks.places, slideMs: assigner.slideMs)
        rowBases = .allocate(capacity: max(blocks.places, 1))
    }

    deinit {
        ruleMetrics.deinitialize(count: rules.count)
        ruleMetrics.deallocate()
        rowBases.deallocate()
    }

    /// Hands the batch to `drain` whenever it holds `records` records, also in the middle of a
    /// firing, so firing a window of millions of keys never holds all its results at once.
    public func drainOutput(every records: Int, _ drain: @escaping (inout OutputBatch) throws -> Void) {
        drainThreshold = records
        self.drain = drain
    }

    /// Lets window state exceed memory: past `maxRowsInMemory` rows, the oldest windows' rows are
    /// written to `store` and read back when a key returns or its window fires.
    public func attach(store: RocksDBStore, maxRowsInMemory: Int) {
        self.store = store
        self.maxRowsInMemory = maxRowsInMemory
    }

    /// Advances the watermark past a valid record's event time `t` (every valid record, filtered
    /// out or not, as a source's watermark) and fires what it passes.
    @inline(__always)
    public func observe(eventTime t: Int64, into batch: inout OutputBatch) throws {
        if watermark.observe(eventTime: t) { try fireReady(into: &batch) }
    }

    /// Handles one record that reached the window, after `observe(eventTime:)` of its time: the
    /// windows its watermark closed fired and were dropped before its own are updated, so none of
    /// them holds the record, and after a jump in event time its new windows find their places in
    /// the key blocks free. Returns false when it was late for all its windows (then it is in
    /// `batch` on the late stream). `record` holds its slots; `key` is its grouping key.
    @discardableResult
    public func process(_ record: UnsafePointer<ExprValue>, eventTime t: Int64, key: UnsafeRawBufferPointer,
                        rawKey: UnsafeRawBufferPointer, value rawValue: UnsafeRawBufferPointer,
                        into batch: inout OutputBatch) throws -> Bool {
        let w = watermark.current
        var start = assigner.firstStart(containing: t)
        let lastStart = assigner.lastStart(containing: t)
        // Sliding, and none of the record's windows fires yet (the first to end fires first): in
        // the steady state all of them are live in the key blocks, updated together.
        if blocks.places > 0 && w < assigner.firesAt(end: start + assigner.sizeMs) {
            let keyId = keys.intern(key)
            update.prepare(record, filters: layout.filterMask(record), values: &values)
            if !updateInKeyBlock(key: keyId, firstEnd: start + assigner.sizeMs) {
                try updateEach(key: keyId, from: start, to: lastStart)
            }
            if rowsInMemory > maxRowsInMemory { try evict() }
            return true
        }
        var accepted = false
        var keyId: Int32 = -1
        // The record's windows that are not late have consecutive ends: after the first is
        // found, each next one is the next in `windows` (or is created there).
        var index = -1
        while start <= lastStart {
            let end = start + assigner.sizeMs
            if !assigner.isLate(end: end, watermark: w) {
                if !accepted {
                    accepted = true
                    keyId = keys.intern(key)
                    update.prepare(record, filters: layout.filterMask(record), values: &values)
                    index = windowIndex(start: start, end: end)
                } else {
                    index = nextWindowIndex(after: index, start: start, end: end)
                }
                let updated = try updateRow(of: keyId, inWindowAt: index)
                if w >= assigner.firesAt(end: end) {
                    batch.beginFiring(atMs: WallClock.nowMs())
                    try fire(windows[index], row: updated, into: &batch)
                }
            }
            start += assigner.slideMs
        }
        if !accepted {
            batch.append(.late, key: rawKey, value: rawValue)
            return false
        }
        if rowsInMemory > maxRowsInMemory { try evict() }
        return true
    }

    /// Adds the prepared record to the key's rows in its windows ending at `firstEnd`,
    /// `firstEnd + slide`, …, when each is live in its place of the key blocks and none needs a
    /// row read back from the store; false, with nothing changed, otherwise.
    @inline(__always)
    private func updateInKeyBlock(key: Int32, firstEnd: Int64) -> Bool {
        let n = assigner.windowsPerRecord
        guard let run = placed.run(firstEnd: firstEnd, count: n, firstPlace: blocks.place(ofEnd: firstEnd)) else { return false }
        let places = blocks.places
        var block = blocks.block(of: key)
        var missing = block >= 0 ? run.places & ~blocks.presentPlaces(in: block) : run.places
        if missing != 0 {
            var spilled = missing
            while spilled != 0 {
                let p = spilled.trailingZeroBitCount
                spilled &= spilled &- 1
                if placed.window(at: p)._withUnsafeGuaranteedRef({ $0.spilled }) { return false }
            }
            while missing != 0 {
                let p = missing.trailingZeroBitCount
                missing &= missing &- 1
                let row = blocks.addRow(for: key, place: p)
                placed.window(at: p)._withUnsafeGuaranteedRef { $0.adoptRow(row) }
                block = row / places
            }
        }
        let width = layout.width
        Unmanaged.passUnretained(blocks.columns)._withUnsafeGuaranteedRef { columns in
            var place = run.first
            for r in 0..<n {
                let row = block * places + place
                rowBases[r] = row * width
                if !columns.isDirty[row] { placed.window(at: place)._withUnsafeGuaranteedRef { $0.markDirty(row) } }
                place = place + 1 == places ? 0 : place + 1
            }
            update.apply(to: columns, bases: rowBases, count: n)
        }
        return true
    }

    /// Adds the prepared record to the key's row in each of its windows `from...to` (starts),
    /// creating windows and rows as needed; none of them fires.
    private func updateEach(key: Int32, from firstStart: Int64, to lastStart: Int64) throws {
        var index = windowIndex(start: firstStart, end: firstStart + assigner.sizeMs)
        var start = firstStart
        while true {
            _ = try updateRow(of: key, inWindowAt: index)
            start += assigner.slideMs
            guard start <= lastStart else { return }
            index = nextWindowIndex(after: index, start: start, end: start + assigner.sizeMs)
        }
    }

    /// Adds the prepared record to the key's row in the window at `index` of `windows`; returns the row.
    @inline(__always)
    private func updateRow(of key: Int32, inWindowAt index: Int) throws -> Int {
        // Nothing here removes a window from `windows`, which keeps it alive: no retain/release
        // pair per window (ten per record for a sliding job).
        try Unmanaged.passUnretained(windows[index])._withUnsafeGuaranteedRef { window in
            let row = try row(in: window, key: key)
            update.apply(to: window.columns, row: row, width: layout.width)
            window.markDirty(row)
            return row
        }
    }

    /// Index in `windows` of the window `[start, end)`, the next window's end after the one at
    /// `index` (a record's windows have consecutive ends): that window, or created there.
    @inline(__always)
    private func nextWindowIndex(after index: Int, start: Int64, end: Int64) -> Int {
        let next = index + 1
        if next == windows.count || windows[next].end != end {
            windows.insert(newWindow(start: start, end: end), at: next)
        }
        return next
    }

    /// Moves the watermark (idle partition, end of a bounded run) and fires what it passes.
    public func advanceWatermark(to value: Int64, into batch: inout OutputBatch) throws {
        if watermark.advance(to: value) { try fireReady(into: &batch) }
    }

    /// The key's row in `window`: in memory, read back from the store, or new.
    @inline(__always)
    private func row(in window: WindowState, key: Int32) throws -> Int {
        if window.place >= 0 {
            let row = blocks.row(of: key, place: window.place)
            if row >= 0 { return row }
        } else if let row = window.existingRow(for: key) {
            return row
        }
        let row = addRow(to: window, key: key)
        if window.spilled, let store {
            let stored = storedRowKey(window.end, key)
            try stored.withUnsafeBytes { k in
                try store.withValue(forKey: k) { value in
                    if let value { decodeRow(window, row: row, from: value) }
                }
            }
        }
        return row
    }

    /// A new, empty row for `key` in `window`.
    @inline(__always)
    func addRow(to window: WindowState, key: Int32) -> Int {
        guard window.place >= 0 else {
            ownRows += 1
            return window.addOwnRow(for: key)
        }
        let row = blocks.addRow(for: key, place: window.place)
        window.adoptRow(row)
        return row
    }

    /// Forgets the window's rows in memory (cleared in the key blocks when it has a place).
    private func forgetRows(of window: WindowState) {
        if window.place >= 0 {
            for i in 0..<window.rowCount { blocks.clear(Int(window.rows[i])) }
        } else {
            ownRows -= window.rowCount
        }
        window.forgetRows()
    }

    /// A window in the key blocks when a place is free, else with columns of its own.
    private func newWindow(start: Int64, end: Int64) -> WindowState {
        let place = blocks.claim(end: end)
        let window = WindowState(start: start, end: end, place: place, columns: place >= 0 ? blocks.columns : RowColumns(layout))
        if place >= 0 { placed.set(window, at: place) }
        return window
    }

    /// Writes the rows of the oldest windows to the store until memory holds half the budget.
    private func evict() throws {
        guard let store else { return }
        let batch = RocksDBWriteBatch()
        for window in windows where rowsInMemory > maxRowsInMemory / 2 && window.rowCount > 0 {
            writeDirtyRows(of: window, into: batch)
            rowsSpilled += window.rowCount
            forgetRows(of: window)
            window.spilled = true
        }
        try store.write(batch)
    }

    /// The window `[start, end)`, created in `end` order when new. Recent windows are at the back.
    func window(start: Int64, end: Int64) -> WindowState {
        windows[windowIndex(start: start, end: end)]
    }

    /// Index in `windows` of the window `[start, end)`, created there when new.
    @inline(__always)
    private func windowIndex(start: Int64, end: Int64) -> Int {
        var i = windows.count - 1
        while i >= 0 && windows[i].end > end { i -= 1 }
        if i >= 0 && windows[i].end == end { return i }
        windows.insert(newWindow(start: start, end: end), at: i + 1)
        return i + 1
    }

    /// Fires every window the watermark has reached, in `end` order, then drops late ones.
    private func fireReady(into batch: inout OutputBatch) throws {
        let w = watermark.current
        for window in windows where !window.fired {
            if w < assigner.firesAt(end: window.end) { break }
            window.fired = true
            batch.beginFiring(atMs: WallClock.nowMs())
            let order = KeyOrder.rows(of: window, keys: keys)
            if let topN = step.topN {
                try fireRanked(window, memoryOrder: order, topN: topN, into: &batch)
            } else if window.spilled {
                try fireMerged(window, memoryOrder: order, into: &batch)
            } else {
                try order.withUnsafeBufferPointer { order in
                    for (i, row) in order.enumerated() {
                        prefetchFiring(of: window, order: order, at: i)
                        try fire(window, row: row, into: &batch)
                    }
                }
            }
        }
        var dropped = 0
        while dropped < windows.count && assigner.isLate(end: windows[dropped].end, watermark: w) {
            droppedSinceCheckpoint.append(windows[dropped].end)
            forgetRows(of: windows[dropped])
            if windows[dropped].place >= 0 {
                placed.remove(at: windows[dropped].place)
                blocks.release(windows[dropped].place)
            }
            dropped += 1
        }
        if dropped > 0 { windows.removeFirst(dropped) }
        if !rules.isEmpty && w != PartitionWatermark.minusInfinity {
            let (cutoff, overflow) = w.subtractingReportingOverflow(assigner.slideMs - 1 + assigner.allowedLatenessMs)
            ruleMemory.prune(keepingEndsAfter: overflow ? Int64.min : cutoff)
        }
    }

    /// Fires a spilled window: its stored rows and its rows in memory (which are newer), merged
    /// in key byte order as if all were in memory.
    private func fireMerged(_ window: WindowState, memoryOrder: [Int], into batch: inout OutputBatch) throws {
        guard let store else { return }
        let writeBack = RocksDBWriteBatch()
        try forEachMergedRow(of: window, memoryOrder: memoryOrder) { rows, row, stored in
            try fire(rows, row: row, into: &batch)
            guard let stored else { return }
            rows.clearDirty()
            if assigner.allowedLatenessMs > 0 {
                // The window may fire again: its next revision number must survive.
                var encoded = ByteWriter()
                encodeRow(rows, row: row, into: &encoded)
                writeBack.put(Array(stored.key), encoded.bytes)
            }
        }
        try store.write(writeBack)
    }

    /// Visits every row of a window in key byte order: its rows in memory and, when it spilled,
    /// its stored rows that memory holds no newer version of, each read into the one row of a
    /// scratch window so memory stays bounded (`stored` is then its store key and encoding).
    private func forEachMergedRow(
        of window: WindowState, memoryOrder: [Int],
        _ body: (_ rows: WindowState, _ row: Int, _ stored: (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?) throws -> Void
    ) throws {
        guard window.spilled, let store else {
            for row in memoryOrder { try body(window, row, nil) }
            return
        }
        var next = 0
        let scratch = WindowState(start: window.start, end: window.end, place: -1, columns: RowColumns(layout))
        // Reused for every stored row, its key set in place: the scratch is never looked up by key.
        let row = scratch.addOwnRow(for: 0)
        let afterEnd = namespace.afterEnd
        try store.scan(prefix: namespace.key(StateKeys.windowRow, end: window.end)) { storedKey, value in
            let key = UnsafeRawBufferPointer(rebasing: storedKey[afterEnd...])
            while next < memoryOrder.count,
                  keys.withKey(window.columns.keys[memoryOrder[next]], { $0.lexicographicallyPrecedes(key) }) {
                try body(window, memoryOrder[next], nil)
                next += 1
            }
            if next < memoryOrder.count, keys.withKey(window.columns.keys[memoryOrder[next]], { $0.elementsEqual(key) }) {
                try body(window, memoryOrder[next], nil)
                next += 1
                return true
            }
            scratch.columns.reset(row)
            scratch.columns.keys[row] = keys.intern(key)
            decodeRow(scratch, row: row, from: value)
            try body(scratch, row, (storedKey, value))
            return true
        }
        while next < memoryOrder.count {
            try body(window, memoryOrder[next], nil)
            next += 1
        }
    }

    /// Fires the best-ranked rows of a window (`TopNSpec`), in rank order. Its other rows are
    /// never written; the window, whose lateness is 0, is dropped right after.
    private func fireRanked(_ window: WindowState, memoryOrder: [Int], topN: TopNSpec, into batch: inout OutputBatch) throws {
        guard let by = job.topNBy else { preconditionFailure("a topN step's by is compiled with its job") }
        var ranking = TopRanking(topN)
        try forEachMergedRow(of: window, memoryOrder: memoryOrder) { rows, row, stored in
            let value = keys.withKeyInPlace(rows.columns.keys[row]) { key in
                sinks.rankValue(by, key: key, start: window.start, end: window.end, columns: rows.columns, row: row)
            }
            guard ranking.admits(value) else { return }
            ranking.insert(.init(value: value, row: stored == nil ? row : -1, key: rows.columns.keys[row],
                                 stored: stored.map { Array($0.value) } ?? []))
        }
        var scratch: (window: WindowState, row: Int)?
        for (i, candidate) in ranking.candidates.enumerated() {
            if candidate.row >= 0 {
                try fire(window, row: candidate.row, rank: i + 1, into: &batch)
                continue
            }
            if scratch == nil {
                let rows = WindowState(start: window.start, end: window.end, place: -1, columns: RowColumns(layout))
                scratch = (rows, rows.addOwnRow(for: 0))
            }
            let (rows, row) = scratch!
            rows.columns.reset(row)
            rows.columns.keys[row] = candidate.key
            candidate.stored.withUnsafeBytes { decodeRow(rows, row: row, from: $0) }
            try fire(rows, row: row, rank: i + 1, into: &batch)
            rows.clearDirty()
        }
    }

    /// Starts loading what firing the rows a few places after `i` of `order` reads, in the order
    /// it finds their addresses: a row's columns, then where its key lies, then the key's bytes.
    /// With many keys these are cache misses at random places, which then overlap.
    @inline(__always)
    private func prefetchFiring(of window: WindowState, order: UnsafeBufferPointer<Int>, at i: Int) {
        let width = layout.width
        Unmanaged.passUnretained(window.columns)._withUnsafeGuaranteedRef { columns in
            if i + 16 < order.count {
                let row = order[i + 16]
                columns.keys.prefetch(row)
                columns.firings.prefetch(row)
                columns.isDirty.prefetch(row)
                columns.words.prefetch(row * width)
                columns.words.prefetch(row * width + width - 1)
            }
            if i + 8 < order.count { keys.prefetchBounds(of: columns.keys[order[i + 8]]) }
            if i + 4 < order.count { keys.prefetchKey(columns.keys[order[i + 4]]) }
        }
    }

    /// Emits the current result of one (key, window) and evaluates the rules on it; `rank` is a
    /// top-N result's place (0: not ranked).
    private func fire(_ window: WindowState, row: Int, rank: Int = 0, into batch: inout OutputBatch) throws {
        let revision = window.columns.firings[row]
        window.columns.firings[row] += 1
        window.markDirty(row)
        let keyId = window.columns.keys[row]
        keys.withKeyInPlace(keyId) { key in
            sinks.emit(into: &batch, key: key, start: window.start, end: window.end, columns: window.columns, row: row,
                       revision: revision, rank: rank, values: values)
            guard let alertEncoder else { return }
            let previous = ruleMemory.bits(key: keyId, end: window.end - assigner.slideMs)
            var bits = ruleMemory.bits(key: keyId, end: window.end) & ~UInt64(UInt32.max)
            for i in 0..<rules.count {
                if ruleMetrics[i].countsOneValue && ruleMetrics[i].valueId < 0 {
                    ruleMetrics[i].valueId = valueId(ofRule: i)
                }
                guard let value = ruleMetrics[i].value(columns: window.columns, row: row),
                      value.asDouble >= ruleMetrics[i].threshold, sinks.ruleHolds(i) else { continue }
                let tripped = UInt64(1) << UInt64(i)
                let alerted = tripped << 32
                bits |= tripped
                if previous & tripped == 0 && bits & alerted == 0 {
                    bits |= alerted
                    alertEncoder.encode(into: &batch, key: key, start: window.start, end: window.end, rule: rules[i], value: value)
                }
            }
            ruleMemory.set(key: keyId, end: window.end, bits: bits)
        }
        if batch.records.count >= drainThreshold, let drain { try drain(&batch) }
    }

    /// The id of the countBy value rule `i` reads, or -1 while no record carried it.
    private func valueId(ofRule i: Int) -> Int32 {
        guard let value = rules[i].countByValue else { return -1 }
        return value.withUnsafeBytes { values[ruleMetrics[i].slot.countBy].lookup($0) } ?? -1
    }
}
