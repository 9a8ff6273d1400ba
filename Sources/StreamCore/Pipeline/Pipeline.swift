/// One partition's record path, the same whichever way a job runs (a Kafka task, a file replay,
/// the engine-only benchmark): parse, watermark, the stateless steps, then the window or the
/// stateless sinks; bad records and records a step fails on become dead letters.
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
        /// A filter step dropped it.
        case filtered
        /// Late for all its windows: it went to the late topic.
        case late
        /// Not a valid record, or a step failed on it: it went to the dead letters.
        case bad
    }

    /// The last step, decided once: a `switch` per record, no existential call.
    enum Terminal {
        case window(WindowOperator)
        case session(SessionWindowOperator)
        case records(StatelessOutput)
    }

    public let job: CompiledJob
    private var reader: RecordReader
    private let slots: UnsafeMutablePointer<ExprValue>
    private var arena = ExprArena()
    private let steps: [CompiledJob.Step]
    private let stepIds: [String]
    private let windowInputs: [(slot: Int, expression: CompiledExpression)]
    private let keySlot: Int
    let terminal: Terminal
    /// The terminal's stateful operator, for what happens once per batch, watermark or checkpoint.
    let keyed: KeyedOperator?
    private let deadLetters: DeadLetterEncoder
    private let partition: Int32
    /// Records each filter step dropped, by step index (a metric; not checkpointed).
    public private(set) var filteredByStep: [Int64]

    /// `deadLetterTopic`: the topic a dead letter names as where its record came from.
    public init(job: CompiledJob, partition: Int32, deadLetterTopic: String? = nil) {
        self.job = job
        let spec = job.spec
        reader = RecordReader(format: spec.source.format, timeField: spec.source.time,
                              timeIsEpochMillis: spec.source.timeIsEpochMillis,
                              fields: job.schema.readerFields, slots: job.schema.readerSlots)
        slots = .allocate(capacity: max(job.schema.slotCount, 1))
        slots.initialize(repeating: .null, count: max(job.schema.slotCount, 1))
        steps = job.steps
        stepIds = spec.steps.map(\.id)
        windowInputs = job.windowInputs
        keySlot = job.keySlot
        switch spec.window?.window.kind {
        case nil:
            terminal = .records(StatelessOutput(job: job))
            keyed = nil
        case .session:
            let session = SessionWindowOperator(job: job)
            terminal = .session(session)
            keyed = session
        case .tumbling, .sliding:
            let window = WindowOperator(job: job)
            terminal = .window(window)
            keyed = window
        }
        deadLetters = DeadLetterEncoder(job: spec.name, topic: deadLetterTopic ?? spec.source.topic)
        self.partition = partition
        filteredByStep = [Int64](repeating: 0, count: spec.steps.count)
    }

    deinit {
        slots.deallocate()
    }

    /// The window operator, for a job that has one.
    public var window: WindowOperator? {
        if case .window(let w) = terminal { return w }
        return nil
    }

    public var watermark: Int64 {
        if case .records(let r) = terminal { return r.watermark.current }
        return keyed?.watermarkMs ?? PartitionWatermark.minusInfinity
    }

    /// Handles one input record; what it emits is appended to `output`.
    @inline(__always)
    public func process(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                        into output: inout OutputBatch) throws -> Outcome {
        if let bad = reader.read(value) {
            deadLetters.encode(into: &output, key: rawKey, value: value, partition: partition, offset: offset,
                               error: bad.reason)
            return .bad
        }
        let t = reader.eventTimeMs
        reader.fill(slots)
        // The window fires what the new watermark passes before the record is placed (its places in
        // the key blocks come free); a session judges the record by the watermark before it.
        switch terminal {
        case .window(let w): try w.observe(eventTime: t, into: &output)
        case .records(let r): r.observe(eventTime: t)
        case .session: break
        }
        let outcome = try route(key: rawKey, value: value, offset: offset, eventTime: t, into: &output)
        if case .session(let s) = terminal { try s.observe(eventTime: t, into: &output) }
        return outcome
    }

    /// The steps, then the terminal, for a valid record whose fields are in the slots.
    @inline(__always)
    private func route(key rawKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, offset: Int64,
                       eventTime t: Int64, into output: inout OutputBatch) throws -> Outcome {
        if !steps.isEmpty || !windowInputs.isEmpty { arena.reset() }
        var s = 0
        do {
            while s < steps.count {
                switch steps[s] {
                case .filter(let condition):
                    if !(try condition.isTrue(slots, arena: &arena)) {
                        filteredByStep[s] += 1
                        return .filtered
                    }
                case .set(let fields):
                    for field in fields { slots[field.slot] = try field.expression.evaluate(slots, arena: &arena) }
                }
                s += 1
            }
            if case .records(let r) = terminal {
                try r.write(slots, key: rawKey, value: value, arena: &arena, into: &output)
                return .passed
            }
            for input in windowInputs { slots[input.slot] = try input.expression.evaluate(slots, arena: &arena) }
            // The key is a required string field: a record without it is no valid record.
            let key = slots[keySlot].string
            let placed = switch terminal {
            case .window(let w): try w.process(slots, eventTime: t, key: key, rawKey: rawKey, value: value, into: &output)
            case .session(let session):
                try session.process(slots, eventTime: t, key: key, rawKey: rawKey, value: value, into: &output)
            case .records: true
            }
            return placed ? .passed : .late
        } catch let fault as ExpressionFault {
            let site = s < stepIds.count ? "step \(stepIds[s])" : (job.spec.window.map { "step \($0.id)" } ?? "sink")
            deadLetters.encode(into: &output, key: rawKey, value: value, partition: partition, offset: offset,
                               error: "\(site): \(fault.reason)")
            return .bad
        }
    }

    /// Moves the watermark (idle partition, end of a bounded run) and fires what it passes.
    public func advanceWatermark(to value: Int64, into output: inout OutputBatch) throws {
        if case .records(let r) = terminal { r.advanceWatermark(to: value) }
        try keyed?.advanceWatermark(to: value, into: &output)
    }

    /// Starts loading the state the record `prefetchDistance` ahead will reach (see
    /// `WindowOperator.prefetchState(ofKey:)`).
    @inline(__always)
    public func prefetchState(ofKey key: UnsafeRawBufferPointer?) {
        if case .window(let w) = terminal { w.prefetchState(ofKey: key) }
    }

    public static var prefetchDistance: Int { WindowOperator.prefetchDistance }

    /// Hands the batch to `drain` whenever a firing fills it with `records` records.
    public func drainOutput(every records: Int, _ drain: @escaping (inout OutputBatch) throws -> Void) {
        keyed?.drainOutput(every: records, drain)
    }

    /// Lets window state exceed memory, spilling to `store` past `maxRowsInMemory` rows.
    public func attach(store: RocksDBStore, maxRowsInMemory: Int) {
        keyed?.attach(store: store, maxRowsInMemory: maxRowsInMemory)
    }

    /// Adds the state changed since the last checkpoint to `batch`.
    func snapshotChanges(into batch: RocksDBWriteBatch) {
        keyed?.snapshotChanges(into: batch)
    }

    /// Rebuilds the state from a restored store, given the restored watermark.
    func restore(from store: RocksDBStore, watermark: Int64) throws {
        if case .records(let r) = terminal { r.advanceWatermark(to: watermark) }
        try keyed?.restore(from: store, watermark: watermark)
    }

    /// Rows of window state held in memory.
    public var rowsInMemory: Int { keyed?.rowsInMemory ?? 0 }

    /// Keys window state is held for.
    public var keysHeld: Int { keyed?.keysHeld ?? 0 }

    /// Window rows moved from memory to RocksDB by spilling, in total.
    public var rowsSpilled: Int { keyed?.rowsSpilled ?? 0 }
}
