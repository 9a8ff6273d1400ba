/// Event-time session windows of one input partition, as Flink's `EventTimeSessionWindows`:
/// a key's records closer than the gap form one session, aggregated like `WindowOperator`'s
/// windows and written in the same records.
///
/// Semantics, exactly:
/// - Watermark per partition as `WindowOperator`'s: a record is judged (late or not) and applied
///   against the watermark in force before it (`process`); then the watermark advances to
///   `t - outOfOrderness - 1` and the sessions that advance passes fire (`observe`). (The two
///   orders differ only without out-of-orderness, for a record at a session's end: it joins the
///   session.)
/// - A record with event time t of key k forms the window [t, t + gap). The sessions of k that
///   intersect it (`a.start <= b.end && a.end >= b.start`, inclusive as Flink's
///   `TimeWindow.intersects`: t == end joins, t == end + 1 does not) merge with it into
///   [min start, max end), their aggregates merged (`AggregateLayout.merge`). A record may
///   bridge two sessions.
/// - Lateness is judged on the merged window: [s, e) is late when W >= e - 1 + allowedLateness;
///   the record then goes unchanged to the late stream and no state changes. (Every live
///   session is short of its lateness bound, so only a record that merges with none can be late.)
/// - A session fires when W >= end - 1 (revision 0). A fired session that a record later
///   updates, extends or merges fires again with its full result and the next revision: at once
///   when W >= its new end - 1, else when the watermark reaches its new end - 1. Merged sessions
///   go on from the highest number of firings among the parts. A session is dropped when
///   W >= end - 1 + allowedLateness.
/// - Sessions firing on one watermark advance fire by end, then key bytes: output is a pure
///   function of the partition's record sequence (and restored state).
/// - Results: `WindowOperator`'s, to the sinks whose `when` holds, with windowStart/windowEnd the
///   session's bounds, id `<job>:<key>:<start ms>:<revision>`, time = end.
/// - Threshold rules are evaluated on every firing; each rule alerts at most once per session
///   (a merged session keeps its parts' alerts), so at most once per (key, session start, rule).
///   There is no dedup against a previous window: sessions have none.
///
/// State is all in memory (see `attach`); checkpoints write it under the step's namespace,
/// tag `StateKeys.sessionRow`.
/// Confined to its task's thread and never re-entered: hot state skips runtime exclusivity checks.
public final class SessionWindowOperator {
    public let job: CompiledJob
    let gapMs: Int64
    /// Where this step's state lives in the task's store.
    let namespace: StateNamespace
    let allowedLatenessMs: Int64
    let layout: AggregateLayout
    private let sinks: ResultSinks
    private let alertEncoder: AlertEncoder?
    private let rules: [CompiledRule]
    /// Per rule, where its metric lies, in raw memory read without retains.
    private let ruleMetrics: UnsafeMutablePointer<RuleMetric>
    private let update: AggregateUpdate

    @exclusivity(unchecked) public internal(set) var watermark: PartitionWatermark
    @exclusivity(unchecked) var keys = KeyTable()
    /// One value table per countBy aggregation.
    @exclusivity(unchecked) var values: [KeyTable]
    let sessions: SessionRows
    @exclusivity(unchecked) var timers = SessionTimers()
    /// Holds a countBy list's counts while sessions merge.
    @exclusivity(unchecked) private var mergeScratch: [CountEntry] = []
    private var drain: ((inout OutputBatch) throws -> Void)?
    private var drainThreshold = Int.max

    /// Sessions held in memory (all of them).
    public var rowsInMemory: Int { sessions.liveCount }

    /// `job` must have a session window step.
    public init(job: CompiledJob) {
        let spec = job.spec
        guard let step = spec.window, step.window.kind == .session, step.window.gapMs > 0 else {
            preconditionFailure("a session window needs a positive gap")
        }
        self.job = job
        gapMs = step.window.gapMs
        namespace = StateNamespace(stepId: step.id)
        allowedLatenessMs = step.window.allowedLatenessMs
        layout = AggregateLayout(step.aggregations, operandSlots: job.operandSlots, conditionSlots: job.conditionSlots)
        sinks = ResultSinks(job: job, layout: layout)
        let keyName = spec.groupKey.leaf
        alertEncoder = step.rules.map { AlertEncoder(job: spec.name, rules: $0, keyName: keyName) }
        rules = step.rules?.rules.map { CompiledRule($0, aggregations: step.aggregations) } ?? []
        precondition(rules.count <= 32, "at most 32 rules per job")
        ruleMetrics = .allocate(capacity: rules.count)
        ruleMetrics.initialize(from: rules.map { [layout] in RuleMetric($0, layout: layout) }, count: rules.count)
        values = (0..<layout.countByTables).map { _ in KeyTable(capacity: 64) }
        update = AggregateUpdate(layout: layout)
        watermark = PartitionWatermark(outOfOrdernessMs: spec.source.watermark.outOfOrdernessMs)
        sessions = SessionRows(layout)
    }

    deinit {
        ruleMetrics.deinitialize(count: rules.count)
        ruleMetrics.deallocate()
    }

    /// Hands the batch to `drain` whenever it holds `records` records, also in the middle of a firing.
    public func drainOutput(every records: Int, _ drain: @escaping (inout OutputBatch) throws -> Void) {
        drainThreshold = records
        self.drain = drain
    }

    /// For the surface `WindowOperator` has: sessions are not spilled. Their state stays in
    /// memory whatever `maxRowsInMemory` says and reaches `store` only through checkpoints.
    public func attach(store: RocksDBStore, maxRowsInMemory: Int) {}

    /// Handles one record that reached the window, before `observe(eventTime:)` of its time;
    /// returns false when it was late (then it is in `batch` on the late stream and nothing else
    /// changed). `record` holds its slots; `keyBytes` is its grouping key.
    @discardableResult
    public func process(_ record: UnsafePointer<ExprValue>, eventTime t: Int64, key keyBytes: UnsafeRawBufferPointer,
                        rawKey: UnsafeRawBufferPointer, value rawValue: UnsafeRawBufferPointer,
                        into batch: inout OutputBatch) throws -> Bool {
        let w = watermark.current
        // The merge is decided before anything changes: a late record must change nothing, and
        // a key first seen in a late record is not interned.
        let known = keys.lookup(keyBytes)
        var previous = SessionRows.none, first = SessionRows.none
        var parts = 0
        var start = t, end = t + gapMs
        if let known {
            var r = sessions.head(of: known)
            while r != SessionRows.none && sessions.ends[Int(r)] < t {
                previous = r
                r = sessions.next[Int(r)]
            }
            first = r
            while r != SessionRows.none && sessions.starts[Int(r)] <= t + gapMs {
                start = min(start, sessions.starts[Int(r)])
                end = max(end, sessions.ends[Int(r)])
                parts += 1
                r = sessions.next[Int(r)]
            }
        }
        if w >= end - 1 + allowedLatenessMs {
            batch.append(.late, key: rawKey, value: rawValue)
            return false
        }
        let key = known ?? keys.intern(keyBytes)
        update.prepare(record, filters: layout.filterMask(record), values: &values)
        let row: Int
        if parts == 0 {
            row = sessions.open(key: key, start: start, end: end, after: previous)
        } else {
            row = Int(first)
            for _ in 1..<parts { sessions.absorb(Int(sessions.next[row]), into: row, layout: layout, scratch: &mergeScratch) }
            sessions.starts[row] = start
            sessions.ends[row] = end
            sessions.pending[row] = true
        }
        update.apply(to: sessions.columns, row: row, width: layout.width)
        sessions.markDirty(row)
        if w >= end - 1 {
            batch.beginFiring(atMs: WallClock.nowMs())
            try fire(row, into: &batch)
            schedule(row, due: end - 1 + allowedLatenessMs)
        } else {
            schedule(row, due: end - 1)
        }
        return true
    }

    /// Advances the watermark past a valid record's event time `t` (every valid record, filtered
    /// out or not, after `process` of the ones that reach the window) and fires what it passes.
    @inline(__always)
    public func observe(eventTime t: Int64, into batch: inout OutputBatch) throws {
        if watermark.observe(eventTime: t) { try fireReady(into: &batch) }
    }

    /// Moves the watermark (idle partition, end of a bounded run) and fires what it passes.
    public func advanceWatermark(to value: Int64, into batch: inout OutputBatch) throws {
        if watermark.advance(to: value) { try fireReady(into: &batch) }
    }

    /// Gives `row` a timer at `due` unless its live timer comes no later (a later one reschedules).
    @inline(__always)
    func schedule(_ row: Int, due: Int64) {
        guard due < sessions.scheduled[row] else { return }
        sessions.generations[row] &+= 1
        sessions.scheduled[row] = due
        let key = sessions.columns.keys[row]
        timers.push(SessionTimers.Timer(due: due, prefix: keys.orderPrefix(of: key), key: key, row: Int32(row),
                                        generation: sessions.generations[row]), keys: keys)
    }

    /// Fires the sessions the watermark has reached, by end then key, and drops those past
    /// their lateness bound. Each end fired is one firing of the batch.
    private func fireReady(into batch: inout OutputBatch) throws {
        let w = watermark.current
        var firingEnd: Int64?
        while let timer = timers.first, timer.due <= w {
            timers.removeFirst(keys: keys)
            let row = Int(timer.row)
            guard sessions.generations[row] == timer.generation else { continue }
            sessions.scheduled[row] = .max
            let end = sessions.ends[row]
            let due = sessions.pending[row] ? end - 1 : end - 1 + allowedLatenessMs
            // The session grew since its timer was set: acting now would fire it out of end order.
            if timer.due < due {
                schedule(row, due: due)
                continue
            }
            if sessions.pending[row] {
                if firingEnd != end {
                    batch.beginFiring(atMs: WallClock.nowMs())
                    firingEnd = end
                }
                try fire(row, into: &batch)
            }
            if w >= end - 1 + allowedLatenessMs {
                sessions.remove(row)
            } else {
                schedule(row, due: end - 1 + allowedLatenessMs)
            }
        }
    }

    /// Emits the current result of a session and evaluates the rules on it.
    private func fire(_ row: Int, into batch: inout OutputBatch) throws {
        let columns = sessions.columns
        let revision = columns.firings[row]
        columns.firings[row] += 1
        sessions.pending[row] = false
        sessions.markDirty(row)
        let start = sessions.starts[row], end = sessions.ends[row]
        keys.withKeyInPlace(columns.keys[row]) { key in
            sinks.emit(into: &batch, key: key, start: start, end: end, columns: columns, row: row,
                       revision: revision, values: values)
            guard let alertEncoder else { return }
            var alerted = sessions.alerted[row]
            for i in 0..<rules.count {
                let bit = UInt32(1) << UInt32(i)
                guard alerted & bit == 0 else { continue }
                if ruleMetrics[i].countsOneValue && ruleMetrics[i].valueId < 0 {
                    ruleMetrics[i].valueId = valueId(ofRule: i)
                }
                guard let value = ruleMetrics[i].value(columns: columns, row: row),
                      value.asDouble >= ruleMetrics[i].threshold, sinks.ruleHolds(i) else { continue }
                alerted |= bit
                alertEncoder.encode(into: &batch, key: key, start: start, end: end, rule: rules[i], value: value)
            }
            sessions.alerted[row] = alerted
        }
        if batch.records.count >= drainThreshold, let drain { try drain(&batch) }
    }

    /// The id of the countBy value rule `i` reads, or -1 while no record carried it.
    private func valueId(ofRule i: Int) -> Int32 {
        guard let value = rules[i].countByValue else { return -1 }
        return value.withUnsafeBytes { values[ruleMetrics[i].slot.countBy].lookup($0) } ?? -1
    }
}
