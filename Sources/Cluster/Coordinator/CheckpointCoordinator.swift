import Foundation

/// One job's checkpoints as the jobmanager runs them: trigger checkpoint n on every task,
/// complete it when all acknowledged, fail it (reported, not fatal) on timeout or when a task
/// was lost meanwhile.
struct CheckpointCoordinator: Sendable {
    struct Pending: Sendable {
        let id: Int64
        let triggeredAt: UInt64
        let triggeredDate: Date
        /// Tasks that must acknowledge (those not finished when it was triggered).
        let tasks: Set<TaskKey>
    }

    let intervalMs: Int64
    let timeoutMs: Int64
    private(set) var pending: Pending?
    private(set) var history: [CheckpointRecord] = []
    private(set) var completed = 0
    private(set) var failed = 0
    private var lastTriggerAt: UInt64 = 0
    static let historySize = 20

    init(intervalMs: Int64) {
        self.intervalMs = intervalMs
        // Long enough for a flush of a large backlog on a loaded machine, short enough to report.
        timeoutMs = max(30_000, 10 * intervalMs)
    }

    func isDue(now: UInt64) -> Bool {
        pending == nil && now >= lastTriggerAt + UInt64(intervalMs) * 1_000_000
    }

    mutating func trigger(id: Int64, tasks: Set<TaskKey>, now: UInt64) {
        pending = Pending(id: id, triggeredAt: now, triggeredDate: Date(), tasks: tasks)
        lastTriggerAt = now
    }

    mutating func complete(sizeBytes: Int64, now: UInt64) -> CheckpointRecord? {
        guard let p = pending else { return nil }
        pending = nil
        completed += 1
        return remember(CheckpointRecord(id: p.id, status: .completed, triggeredAt: p.triggeredDate,
                                         durationMs: Int64((now - p.triggeredAt) / 1_000_000), sizeBytes: sizeBytes, reason: nil))
    }

    mutating func fail(_ reason: String, now: UInt64) -> CheckpointRecord? {
        guard let p = pending else { return nil }
        pending = nil
        failed += 1
        return remember(CheckpointRecord(id: p.id, status: .failed, triggeredAt: p.triggeredDate,
                                         durationMs: Int64((now - p.triggeredAt) / 1_000_000), sizeBytes: 0, reason: reason))
    }

    func isTimedOut(now: UInt64) -> Bool {
        guard let p = pending else { return false }
        return now > p.triggeredAt + UInt64(timeoutMs) * 1_000_000
    }

    private mutating func remember(_ record: CheckpointRecord) -> CheckpointRecord {
        history.append(record)
        if history.count > Self.historySize { history.removeFirst() }
        return record
    }
}

public struct CheckpointRecord: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case inProgress = "IN_PROGRESS", completed = "COMPLETED", failed = "FAILED"
    }

    public var id: Int64
    public var status: Status
    public var triggeredAt: Date
    public var durationMs: Int64
    /// Sum over the job's tasks of their checkpoint's files.
    public var sizeBytes: Int64
    public var reason: String?
}
