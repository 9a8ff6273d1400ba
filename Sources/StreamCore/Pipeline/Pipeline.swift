/// One partition's record path, the same whichever way a job runs (a Kafka task, a file replay,
/// the engine-only benchmark): parse, watermark, the steps (filters, computed fields, dedups), then
/// the window or the stateless sinks; bad records and records a step fails on become dead letters.
///
/// The watermark follows every valid record, before any filter, as a Flink source's does: a
/// filtered-out record still moves event time, and is never late and never a result.
///
/// Per record: no allocation, no existential call; the steps are compiled expressions over one
/// flat array of slots (`RecordSchema`). Confined to its task's thread.
public final class Pipeline {
    /// What became of one input record.
    public enum Outcome: Sendable, Equatable {
        /// Reached the window (or the sinks of a stateless job).
        case passed
        /// A filter step dropped it, or a dedup step (a repeat of a live key value).
        case filtered
        /// Late for all its windows: it went to the late topic.
        case late
        /// Not a valid record, or a step failed on it: it went to the dead letters.
        case bad
        /// A stage-1 task's watermark in a repartition topic (`WatermarkControl`), not a record.
        case control
    }

    /// The last step, decided once: a `switch` per record, no existential call.
    enum Terminal: UInt8 {
        case window, session, records
        /// Stage 1 of a repartitioning job: records go to the repartition topic.
        case repartition
        /// Stage 2: a window, session or stateless end whose watermark comes from the control
        /// records, not from the records' times.
        case shuffledWindow, shuffledSession, shuffledRecords

        @inline(__always)
        var readsRepartition: Bool { rawValue >= Terminal.shuffledWindow.rawValue }
    }

    /// One expression a record goes through before the terminal, in order: a filter, one computed
    /// field of a `set` step, a dedup step's key, or a window input (an aggregation's operand or
    /// condition). Held unretained: `job` keeps the expressions alive, and the record path pays no
    /// reference count.
    struct Operation {
        enum Kind: UInt8 { case filter, compute, dedup }
        let kind: Kind
        /// The slot a computed value goes to; for a dedup, its index in `dedups`.
        let slot: Int
        let expression: Unmanaged<CompiledExpression>
        /// The step it belongs to, or -1 for a window input.
        let step: Int
    }

    public let job: CompiledJob
    // The record path's mutable state is this pipeline's own, on its task's thread: no run-time
    // exclusivity checks.
    @exclusivity(unchecked) private var reader: RecordReader
    /// In raw memory, so the record path's closures capture a pointer, not the pipeline (a
    /// captured `self` cost a retain and a release per step and record).
    private let arena: UnsafeMutablePointer<ExprArena>
    /// Records each filter or dedup step dropped, by step index (a metric; not checkpointed).
    @exclusivity(unchecked) public private(set) var filteredByStep: [Int64]
    private let slots: UnsafeMutablePointer<ExprValue>
    private let operations: UnsafeMutablePointer<Operation>
    private let operationCount: Int
    /// The dedup steps' state, in step order; the record path reads `dedupRefs` unretained.
    private let dedups: [DedupOperator]
    private let dedupRefs: UnsafeMutablePointer<Unmanaged<DedupOperator>>
    private let stepIds: [String]
    private let keySlot: Int
    /// A number key groups by its text (`NumberText`, as CAST to STRING), made in the arena.
    private let keyIsNumber: Bool
    private let missingKey: String
    /// The arena holds values of this record only; reset per record when anything writes to it.
    private let resetsArena: Bool
    let terminal: Terminal
    /// The terminal's objects, one of them set; `keyed` and `records` own theirs, and the record
    /// path reads them unretained. A stateful one is replaced when its unused keys are released
    /// (`releaseUnusedKeys`).
    @exclusivity(unchecked) private(set) var windowOperator: Unmanaged<WindowOperator>?
    @exclusivity(unchecked) private(set) var sessionOperator: Unmanaged<SessionWindowOperator>?
    private let records: StatelessOutput?
    private let recordsOutput: Unmanaged<StatelessOutput>?
    private let repartitionOutput: RepartitionOutput?
    private let repartitionRef: Unmanaged<RepartitionOutput>?
    private let upstream: UpstreamWatermarks?
    /// The terminal's stateful operator, for what happens once per batch, watermark or checkpoint.
    @exclusivity(unchecked) private(set) var keyed: KeyedOperator?
    /// What was attached to the operator, for the one that replaces it.
    var attached: (store: RocksDBStore, maxRowsInMemory: Int)?
    var drain: (every: Int, body: (inout OutputBatch) throws -> Void)?
    /// Keys held when they were last released: the next release waits until they doubled.
    var keysAtLastRelease = 0
    /// Rows spilled by operators since replaced.
    var rowsSpilledBefore = 0
    /// What a record failing past the steps failed at: the window, stage 1's `keyBy`, or a sink.
    private let terminalSite: String
    private let deadLetters: DeadLetterEncoder
    private let partition: Int32

    /// `deadLetterTopic`: the topic a dead letter names as where its record came from;
    /// `upstreamTasks`: for stage 2 of a repartitioning job, the stage-1 tasks writing its input.
    public init(job: CompiledJob, partition: Int32, deadLetterTopic: String? = nil, upstreamTasks: Int = 0) {
        self.job = job
        let spec = job.spec
        reader = RecordReader(format: spec.source.format, timeField: spec.source.time,
                              timeIsEpochMillis: spec.source.timeIsEpochMillis,
                              fields: job.schema.readerFields, slots: job.readerSlots)
        slots = .allocate(capacity: max(job.schema.slotCount, 1))
        arena = .allocate(capacity: 1)
        arena.initialize(to: ExprArena())
        slots.initialize(repeating: .null, count: max(job.schema.slotCount, 1))
        var operations: [Operation] = []
        var dedups: [DedupOperator] = []
        for (s, step) in job.steps.enumerated() {
            switch step {
            case .filter(let e):
                operations.append(Operation(kind: .filter, slot: -1, expression: .passUnretained(e), step: s))
            case .set(let fields):
                operations += fields.map { Operation(kind: .compute, slot: $0.slot, expression: .passUnretained($0.expression), step: s) }
            case .dedup(let key, let withinMs):
                operations.append(Operation(kind: .dedup, slot: dedups.count, expression: .passUnretained(key), step: s))
                dedups.append(DedupOperator(stepId: spec.steps[s].id, withinMs: withinMs))
            case .keyBy:
                break
            }
        }
        self.dedups = dedups
        dedupRefs = .allocate(capacity: max(dedups.count, 1))
        dedupRefs.initialize(from: dedups.map { .passUnretained($0) }, count: dedups.count)
        operations += job.windowInputs.map { Operation(kind: .compute, slot: $0.slot, expression: .passUnretained($0.expression), step: -1) }
        operationCount = operations.count
        self.operations = .allocate(capacity: max(operationCount, 1))
        self.operations.initialize(from: operations, count: operationCount)
        stepIds = spec.steps.map(\.id)
        keySlot = job.keySlot
        keyIsNumber = job.keySlot >= 0 && job.schema.slotTypes[job.keySlot] == .number
        resetsArena = operationCount > 0 || keyIsNumber
        missingKey = "the key \(spec.source.key.map(\.description) ?? "") is missing"
        let shuffled = spec.readsRepartitionTopic
        upstream = shuffled ? UpstreamWatermarks(upstreamTasks: upstreamTasks) : nil
        if case .repartitionWriter = spec.stage {
            let output = RepartitionOutput(outOfOrdernessMs: spec.source.watermark.outOfOrdernessMs, partition: partition)
            repartitionOutput = output
            repartitionRef = .passUnretained(output)
        } else {
            repartitionOutput = nil
            repartitionRef = nil
        }
        switch spec.window?.window.kind {
        case nil where repartitionOutput != nil:
            terminal = .repartition
            records = nil
            recordsOutput = nil
            keyed = nil
            windowOperator = nil
            sessionOperator = nil
        case nil:
            terminal = shuffled ? .shuffledRecords : .records
            let stateless = StatelessOutput(job: job)
            records = stateless
            recordsOutput = .passUnretained(stateless)
            keyed = nil
            windowOperator = nil
            sessionOperator = nil
        case .session:
            let session = SessionWindowOperator(job: job)
            terminal = shuffled ? .shuffledSession : .session
            keyed = session
            sessionOperator = .passUnretained(session)
            windowOperator = nil
            records = nil
            recordsOutput = nil
        case .tumbling, .sliding:
            let window = WindowOperator(job: job)
            terminal = shuffled ? .shuffledWindow : .window
            keyed = window
            windowOperator = .passUnretained(window)
            sessionOperator = nil
            records = nil
            recordsOutput = nil
        }
        deadLetters = DeadLetterEncoder(job: spec.name, topic: deadLetterTopic ?? spec.source.topic)
        if case .repartitionWriter(_, let keyBy) = spec.stage {
            terminalSite = "step \(keyBy)"
        } else {
            terminalSite = spec.window.map { "step \($0.id)" } ?? "sink"
        }
        self.partition = partition
        filteredByStep = [Int64](repeating: 0, count: spec.steps.count)
    }

    deinit {
        slots.deallocate()
        arena.deinitialize(count: 1)
        arena.deallocate()
        operations.deallocate()
        dedupRefs.deallocate()
    }

    public var watermark: Int64 {
        if let records { return records.watermark.current }
        if let repartitionOutput { return repartitionOutput.watermark.current }
        return keyed?.watermarkMs ?? PartitionWatermark.minusInfinity
    }

    /// Handles one input record; what it emits is appended to `output`.
    @inline(__always)
    public func process(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                        into output: inout OutputBatch) throws -> Outcome {
        // The stages of a repartitioning job take their own path: other jobs pay one comparison.
        if terminal.rawValue >= Terminal.repartition.rawValue {
            return try processStage(key: rawKey, value: value, offset: offset, into: &output)
        }
        guard let t = read(key: rawKey, value: value, offset: offset, into: &output) else { return .bad }
        // The window fires what the new watermark passes before the record is placed (its places in
        // the key blocks come free); a session judges the record by the watermark before it.
        switch terminal {
        case .window: try windowOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { try $0.observe(eventTime: t, into: &output) }
        case .records: recordsOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.observe(eventTime: t) }
        default: break
        }
        let outcome = try route(key: rawKey, value: value, offset: offset, eventTime: t, into: &output)
        if terminal == .session {
            try sessionOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { try $0.observe(eventTime: t, into: &output) }
        }
        return outcome
    }

    /// Parses the record into the slots and returns its event time; a bad record becomes a dead
    /// letter (nil).
    @inline(__always)
    private func read(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                      into output: inout OutputBatch) -> Int64? {
        if let bad = reader.read(value) {
            deadLetters.encode(into: &output, key: rawKey, value: value, partition: partition, offset: offset,
                               error: bad.reason)
            return nil
        }
        reader.fill(slots)
        return reader.eventTimeMs
    }

    /// `process` in a stage of a repartitioning job. Stage 1's watermark follows its records and
    /// goes downstream after the record that moved it; stage 2's records do not move its
    /// watermark, its control records do.
    @inline(never)
    private func processStage(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                              into output: inout OutputBatch) throws -> Outcome {
        if terminal.readsRepartition && value.count == 0 {
            return try control(key: rawKey, value: value, offset: offset, into: &output)
        }
        guard let t = read(key: rawKey, value: value, offset: offset, into: &output) else { return .bad }
        guard terminal == .repartition else { return try route(key: rawKey, value: value, offset: offset, eventTime: t, into: &output) }
        let stage1 = repartitionRef.unsafelyUnwrapped
        stage1._withUnsafeGuaranteedRef { $0.observe(eventTime: t) }
        let outcome = try route(key: rawKey, value: value, offset: offset, eventTime: t, into: &output)
        stage1._withUnsafeGuaranteedRef { $0.emitDue(into: &output) }
        return outcome
    }

    /// The steps, then the terminal, for a valid record whose fields are in the slots.
    @inline(__always)
    private func route(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                       eventTime t: Int64, into output: inout OutputBatch) throws -> Outcome {
        var i = 0
        do {
            if resetsArena { arena.pointee.reset() }
            let slots = self.slots, arena = self.arena
            while i < operationCount {
                let operation = operations[i]
                // A stateless job's records leave before the window inputs (it has none).
                let passed: Bool
                switch operation.kind {
                case .filter:
                    passed = try operation.expression._withUnsafeGuaranteedRef { e throws(ExpressionFault) in
                        try e.isTrue(slots, arena: &arena.pointee)
                    }
                case .compute:
                    slots[operation.slot] = try operation.expression._withUnsafeGuaranteedRef { e throws(ExpressionFault) in
                        try e.evaluate(slots, arena: &arena.pointee)
                    }
                    passed = true
                case .dedup:
                    let key = try operation.expression._withUnsafeGuaranteedRef { e throws(ExpressionFault) in
                        try e.evaluate(slots, arena: &arena.pointee)
                    }
                    passed = admit(key, to: operation.slot, eventTime: t)
                }
                if !passed {
                    filteredByStep[operation.step] += 1
                    return .filtered
                }
                i += 1
            }
            switch terminal {
            case .repartition:
                let key = try windowKey()
                repartitionRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.write(key: key, value: value, into: &output) }
                return .passed
            case .records, .shuffledRecords:
                try recordsOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { r in
                    try r.write(slots, key: rawKey, value: value, arena: &arena.pointee, into: &output)
                }
                return .passed
            case .window, .shuffledWindow:
                let key = try windowKey()
                return try windowOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef {
                    try $0.process(slots, eventTime: t, key: key, rawKey: rawKey, value: value, into: &output)
                } ? .passed : .late
            case .session, .shuffledSession:
                let key = try windowKey()
                return try sessionOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef {
                    try $0.process(slots, eventTime: t, key: key, rawKey: rawKey, value: value, into: &output)
                } ? .passed : .late
            }
        } catch let fault as ExpressionFault {
            let step = i < operationCount ? operations[i].step : -1
            let site = step >= 0 ? "step \(stepIds[step])" : terminalSite
            deadLetters.encode(into: &output, key: rawKey, value: value, partition: partition, offset: offset,
                               error: "\(site): \(fault.reason)")
            return .bad
        }
    }

    /// The bytes a window groups the record by; a record without a key cannot be grouped, and
    /// fails at the window (a filter before it may drop such records first).
    @inline(__always)
    private func windowKey() throws -> UnsafeRawBufferPointer {
        let value = slots[keySlot]
        if value.kind == .string { return value.string }
        if value.kind == .number { return NumberText.format(value.number, into: &arena.pointee) }
        throw ExpressionFault(reason: missingKey)
    }

    /// Whether a record at `t` passes dedup step `index` with key value `key`: a NULL key value
    /// always does, and creates no entry. Out of line: jobs without a dedup carry no code for it.
    @inline(never)
    private func admit(_ key: ExprValue, to index: Int, eventTime t: Int64) -> Bool {
        guard key.kind != .null else { return true }
        let w: Int64
        switch terminal {
        case .window, .shuffledWindow: w = windowOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.watermark.current }
        case .records, .shuffledRecords: w = recordsOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.watermark.current }
        case .repartition: w = repartitionRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.watermark.current }
        case .shuffledSession: w = sessionOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.watermark.current }
        case .session:
            // A session window observes the record after the steps: the watermark it will move to.
            var after = sessionOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.watermark }
            _ = after.observe(eventTime: t)
            w = after.current
        }
        return dedupRefs[index]._withUnsafeGuaranteedRef { $0.admit(key, eventTime: t, watermark: w) }
    }

    /// A control record of a repartition topic: the upstream task's watermark, and when the
    /// minimum over them rose, the task's watermark moves and fires what it passes. A record
    /// with an empty value that is not one is a dead letter.
    @inline(never)
    private func control(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                         into output: inout OutputBatch) throws -> Outcome {
        guard let upstream, let control = WatermarkControl.parse(key), Int(control.upstream) < upstream.upstreamTasks else {
            deadLetters.encode(into: &output, key: key, value: value, partition: partition, offset: offset,
                               error: "an empty value is not a record, and its key is not a watermark of a stage-1 task")
            return .bad
        }
        controlRecords += 1
        if let minimum = upstream.update(task: control.upstream, watermark: control.watermark) {
            try advanceWatermark(to: minimum, into: &output)
        }
        return .control
    }

    /// Control records taken (`control`), which a task does not count as records in.
    public private(set) var controlRecords: Int64 = 0

    /// Every stage-1 task wrote plus infinity: a stage-2 task's bounded input has ended.
    public var upstreamEnded: Bool { upstream?.allEnded ?? false }

    /// Moves the watermark (idle partition, end of a bounded run) and fires what it passes.
    public func advanceWatermark(to value: Int64, into output: inout OutputBatch) throws {
        records?.advanceWatermark(to: value)
        repartitionOutput?.advance(to: value, into: &output)
        try keyed?.advanceWatermark(to: value, into: &output)
        if !dedups.isEmpty {
            let w = watermark
            for dedup in dedups { dedup.expire(through: w) }
        }
    }

    /// Starts loading the state the record `prefetchDistance` ahead will reach (see
    /// `WindowOperator.prefetchState(ofKey:)`).
    @inline(__always)
    public func prefetchState(ofKey key: UnsafeRawBufferPointer?) {
        if terminal == .window { windowOperator.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.prefetchState(ofKey: key) } }
    }

    public static var prefetchDistance: Int { WindowOperator.prefetchDistance }

    /// Hands the batch to `drain` whenever a firing fills it with `records` records.
    public func drainOutput(every records: Int, _ drain: @escaping (inout OutputBatch) throws -> Void) {
        self.drain = (records, drain)
        keyed?.drainOutput(every: records, drain)
    }

    /// Lets window state exceed memory, spilling to `store` past `maxRowsInMemory` rows.
    public func attach(store: RocksDBStore, maxRowsInMemory: Int) {
        attached = (store, maxRowsInMemory)
        keyed?.attach(store: store, maxRowsInMemory: maxRowsInMemory)
    }

    /// Adds the state changed since the last checkpoint to `batch`.
    public func snapshotChanges(into batch: RocksDBWriteBatch) {
        keyed?.snapshotChanges(into: batch)
        if let upstream { batch.put(StateKeys.upstreamWatermarks, upstream.encoded()) }
        let w = watermark
        for dedup in dedups { dedup.snapshotChanges(into: batch, watermark: w) }
    }

    /// Rebuilds the state from a restored store, given the restored watermark.
    func restore(from store: RocksDBStore, watermark: Int64) throws {
        records?.advanceWatermark(to: watermark)
        repartitionOutput?.restore(watermark: watermark)
        if let upstream, let bytes = try store.get(StateKeys.upstreamWatermarks) { try upstream.restore(bytes) }
        try keyed?.restore(from: store, watermark: watermark)
        for dedup in dedups { try dedup.restore(from: store, watermark: watermark) }
    }

    /// Rows of window state held in memory.
    public var rowsInMemory: Int { keyed?.rowsInMemory ?? 0 }

    /// Keys state is held for: the window's, and each dedup step's live entries.
    public var keysHeld: Int { (keyed?.keysHeld ?? 0) + dedupEntries }

    /// Live entries of the dedup steps.
    public var dedupEntries: Int { dedups.reduce(0) { $0 + $1.entries } }

    /// Window rows moved from memory to RocksDB by spilling, in total.
    public var rowsSpilled: Int { rowsSpilledBefore + (keyed?.rowsSpilled ?? 0) }

    /// Puts `window` in place of the terminal's stateful operator (of the same kind).
    func replaceKeyed(with window: WindowOperator) {
        keyed = window
        windowOperator = .passUnretained(window)
    }

    func replaceKeyed(with session: SessionWindowOperator) {
        keyed = session
        sessionOperator = .passUnretained(session)
    }
}
