/// Window timing of docs/bss-jobs.md §2 for one input partition: watermark, assignment,
/// lateness, firing order, revisions and state expiry. Aggregation is left to `Aggregate`.
protocol RefWindowAggregate {
    associatedtype Event
    init()
    mutating func add(_ event: Event)
}

struct RefWindowConfig {
    var sizeMs: Int64
    var slideMs: Int64
    var outOfOrdernessMs: Int64
    var allowedLatenessMs: Int64
}

struct RefWindowKey: Hashable {
    let customer: String
    let start: Int64
}

struct RefFiring<Aggregate> {
    let customer: String
    let start: Int64
    let end: Int64
    let revision: Int
    let aggregate: Aggregate
}

struct RefWindowOperator<Aggregate: RefWindowAggregate> {
    private struct Slot {
        var aggregate = Aggregate()
        var firings = 0
    }

    let config: RefWindowConfig
    /// nil is minus infinity.
    private(set) var watermark: Int64?
    private var slots: [RefWindowKey: Slot] = [:]

    init(config: RefWindowConfig) { self.config = config }

    /// Adds a record to its windows that are not late and fires what becomes due.
    /// Returns false for a late record (all of its windows late); it changes nothing.
    mutating func process(customer: String, time: Int64, event: Aggregate.Event,
                          fire: (RefFiring<Aggregate>) -> Void) -> Bool {
        let lastStart = time - RefEventTime.floorMod(time, config.slideMs)
        let starts = (0..<config.sizeMs / config.slideMs).map { lastStart - Int64($0) * config.slideMs }.sorted()
        var updated: [RefWindowKey] = []
        for start in starts where !isLate(end: start + config.sizeMs) {
            let key = RefWindowKey(customer: customer, start: start)
            slots[key, default: Slot()].aggregate.add(event)
            updated.append(key)
        }
        guard !updated.isEmpty else { return false }
        // A window already past its firing point (only possible with allowed lateness) fires again at once.
        for key in updated where watermarkReached(end: key.start + config.sizeMs) {
            emit(key, fire: fire)
        }
        let candidate = time - config.outOfOrdernessMs - 1
        watermark = max(watermark ?? candidate, candidate)
        firePending(fire: fire)
        slots = slots.filter { !isLate(end: $0.key.start + config.sizeMs) }
        return true
    }

    /// End of a bounded run: W becomes plus infinity and every pending window fires.
    mutating func finish(fire: (RefFiring<Aggregate>) -> Void) {
        watermark = .max
        firePending(fire: fire)
        slots = [:]
    }

    private func isLate(end: Int64) -> Bool {
        guard let watermark else { return false }
        return watermark == .max || watermark >= end - 1 + config.allowedLatenessMs
    }

    private func watermarkReached(end: Int64) -> Bool {
        guard let watermark else { return false }
        return watermark >= end - 1
    }

    private mutating func firePending(fire: (RefFiring<Aggregate>) -> Void) {
        let due = slots.filter { $0.value.firings == 0 && watermarkReached(end: $0.key.start + config.sizeMs) }
            .keys.sorted { ($0.start, $0.customer) < ($1.start, $1.customer) }
        for key in due { emit(key, fire: fire) }
    }

    private mutating func emit(_ key: RefWindowKey, fire: (RefFiring<Aggregate>) -> Void) {
        let slot = slots[key]!
        fire(RefFiring(customer: key.customer, start: key.start, end: key.start + config.sizeMs,
                       revision: slot.firings, aggregate: slot.aggregate))
        slots[key]!.firings += 1
    }
}
