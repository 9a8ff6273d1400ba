import Foundation
import Synchronization

/// A worker slot: one dedicated thread running its tasks round-robin, batch by batch, and
/// checkpointing them on an interval. No per-record async hop and no lock on the data path.
final class Slot: @unchecked Sendable {
    struct Assignment: Sendable {
        let id: TaskId
        let spec: JobSpec
    }

    let index: Int
    private let assignments: [Assignment]
    private let config: TaskConfiguration
    private let sinkPartitions: [String: Int32]
    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<Error?>(nil)
    private let taskMetrics = Mutex<[TaskId: TaskMetrics]>([:])

    init(index: Int, assignments: [Assignment], config: TaskConfiguration, sinkPartitions: [String: Int32]) {
        self.index = index
        self.assignments = assignments
        self.config = config
        self.sinkPartitions = sinkPartitions
    }

    var error: Error? { failure.withLock { $0 } }
    var metrics: [TaskId: TaskMetrics] { taskMetrics.withLock { $0 } }

    func start() {
        let thread = Thread { [self] in
            do {
                try run()
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        thread.name = "slot-\(index)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the slot to checkpoint its running tasks and stop.
    func stop() { stopRequested.store(true, ordering: .relaxed) }

    func wait() { done.wait() }

    private func run() throws {
        var tasks: [SourceTask] = []
        defer { for task in tasks { task.close() } }
        for a in assignments {
            let task = try SourceTask(id: a.id, spec: a.spec, config: config, sinkPartitions: sinkPartitions)
            tasks.append(task)
            taskMetrics.withLock { $0[a.id] = task.metrics }
        }
        var nextCheckpoint = tasks.map { SourceTask.wallClockMs() + $0.spec.checkpointIntervalMs }
        while !stopRequested.load(ordering: .relaxed) {
            var received = 0
            var running = 0
            let now = SourceTask.wallClockMs()
            for (i, task) in tasks.enumerated() where !task.isFinished {
                running += 1
                received += try task.poll(maxRecords: 4096, timeoutMs: 0)
                try task.tick(nowMs: now)
                if now >= nextCheckpoint[i] && !task.isFinished {
                    try task.checkpoint()
                    nextCheckpoint[i] = now + task.spec.checkpointIntervalMs
                }
            }
            if running == 0 { return }
            if received == 0 { usleep(2_000) }
        }
        for task in tasks where !task.isFinished { try task.checkpoint() }
    }
}
