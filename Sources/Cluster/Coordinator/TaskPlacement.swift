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
    /// Failures since the job's last completed checkpoint, the last one's message, and the
    /// monotonic time before which the task is not started again (the restart backoff).
    var failuresInARow = 0
    var lastFailure: String?
    var restartAt: UInt64 = 0
    var statusAt: UInt64 = 0
    var inPerSecond = 0.0
    var outPerSecond = 0.0
    var badPerSecond = 0.0
    /// Flink's busy / back-pressured / idle time, each in ms per second (they add up to 1000).
    var busyMsPerSecond: Double?
    var backPressuredMsPerSecond: Double?
    var filteredPerSecond: [Double] = []

    init(key: TaskKey) { self.key = key }

    var isActive: Bool { phase != .finished }

    /// Scheduled, and its restart backoff has passed.
    func isPlaceable(now: UInt64) -> Bool { phase == .scheduled && restartAt <= now }

    mutating func unassign() {
        phase = .scheduled
        taskManager = nil
        slot = nil
        stopAfterCheckpoint = nil
    }

    /// Reports of about the last `rateWindowNs` (newest last), which the rates are taken over:
    /// smooth enough to read, recent enough to follow a change.
    private var recent: [(at: UInt64, status: TaskStatus)] = []
    static let rateWindowNs: UInt64 = 5_000_000_000

    /// Stores a report and derives per-second rates over the last few seconds of reports.
    mutating func record(_ new: TaskStatus, now: UInt64) {
        if let last = recent.last, last.status.attempt != new.attempt || now <= last.at {
            // A new attempt counts from zero again.
            recent.removeAll()
            (inPerSecond, outPerSecond, badPerSecond, filteredPerSecond) = (0, 0, 0, [])
            busyMsPerSecond = nil
            backPressuredMsPerSecond = nil
        }
        recent.append((now, new))
        while recent.count > 2, now - recent[1].at >= Self.rateWindowNs { recent.removeFirst() }
        if recent.count > 1 {
            let old = recent[0].status
            let seconds = Double(now - recent[0].at) / 1e9
            inPerSecond = Double(new.recordsIn - old.recordsIn) / seconds
            outPerSecond = Double(new.recordsOut - old.recordsOut) / seconds
            badPerSecond = Double(new.badRecords - old.badRecords) / seconds
            if let busy = new.busyTimeNs, let busyBefore = old.busyTimeNs,
               let waited = new.backPressuredTimeNs, let waitedBefore = old.backPressuredTimeNs {
                let b = min(1000, max(0, Double(busy - busyBefore) / 1e6 / seconds))
                busyMsPerSecond = b
                backPressuredMsPerSecond = min(1000 - b, max(0, Double(waited - waitedBefore) / 1e6 / seconds))
            }
            if let f = new.filteredByStep, let before = old.filteredByStep, f.count == before.count {
                filteredPerSecond = zip(f, before).map { Double($0 - $1) / seconds }
            }
        }
        status = new
        statusAt = now
    }

    var idleMsPerSecond: Double? {
        guard let busy = busyMsPerSecond, let waited = backPressuredMsPerSecond else { return nil }
        return max(0, 1000 - busy - waited)
    }
}
