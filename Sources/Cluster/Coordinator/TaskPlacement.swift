/// Where the jobmanager has put one task, and what it last heard of it.
struct TaskPlacement: Sendable {
    enum Phase: String, Sendable {
        /// Waiting for a slot.
        case scheduled = "SCHEDULED"
        /// Sent to a taskmanager, not yet reported running.
        case deploying = "DEPLOYING"
        case running = "RUNNING"
        case finished = "FINISHED"
    }

    let key: TaskKey
    var phase: Phase = .scheduled
    var taskManager: String?
    var slot: Int?
    /// Rebalancing: stop after this checkpoint, to resume on another taskmanager.
    var stopAfterCheckpoint: Int64?
    var status: TaskStatus?
    var statusAt: UInt64 = 0
    var inPerSecond = 0.0
    var outPerSecond = 0.0

    init(key: TaskKey) { self.key = key }

    var isActive: Bool { phase != .finished }

    mutating func unassign() {
        phase = .scheduled
        taskManager = nil
        slot = nil
        stopAfterCheckpoint = nil
    }

    /// Stores a report and derives per-second rates from the previous one.
    mutating func record(_ new: TaskStatus, now: UInt64) {
        if let old = status, old.attempt == new.attempt, now > statusAt {
            let seconds = Double(now - statusAt) / 1e9
            inPerSecond = Double(new.recordsIn - old.recordsIn) / seconds
            outPerSecond = Double(new.recordsOut - old.recordsOut) / seconds
        }
        status = new
        statusAt = now
    }
}
