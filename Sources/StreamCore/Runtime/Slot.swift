import Foundation
import Synchronization

/// A worker slot: one dedicated thread running its tasks round-robin, batch by batch. No per-record
/// async hop and no lock on the data path: other threads hand it commands through a small inbox
/// read between rounds, and read its tasks' figures from atomics.
public final class Slot: @unchecked Sendable {
    public struct Assignment: Sendable {
        public let id: TaskId
        public let spec: JobSpec
        public let config: TaskConfiguration
        /// Partition count of every topic the task writes.
        public let sinkPartitions: [String: Int32]

        public init(id: TaskId, spec: JobSpec, config: TaskConfiguration, sinkPartitions: [String: Int32]) {
            self.id = id
            self.spec = spec
            self.config = config
            self.sinkPartitions = sinkPartitions
        }
    }

    /// Who decides when tasks checkpoint and when the slot is done.
    public enum Mode: Sendable {
        /// Local mode: each task checkpoints on its job's interval; the slot ends when its tasks
        /// finished; a task's failure fails the slot.
        case local
        /// Under a jobmanager: tasks checkpoint when told; the slot lives until stopped; a failed
        /// task is reported and dropped; nothing runs while the lease is not held.
        case managed(Lease)
    }

    public enum Command: Sendable {
        case start(Assignment)
        /// The jobmanager's checkpoint `id`.
        case checkpoint(TaskId, id: Int64)
        /// Rebalancing or stopping the job: checkpoint `id`, then stop, so another slot resumes
        /// from exactly there. A task holding a transaction for it stops once it committed.
        /// `drain`: first the watermark goes to plus infinity and every window fires.
        case checkpointAndStop(TaskId, id: Int64, drain: Bool)
        /// The jobmanager's checkpoint `completed` is complete: commit the transaction held for it.
        case commit(TaskId, completed: Int64)
        /// Drop the task at once, unflushed: it runs elsewhere now, or its job was cancelled.
        case cancel(TaskId)
    }

    public enum TaskState: String, Sendable, Codable {
        case starting, running, finished, stopped, failed
    }

    /// What the slot says about one of its tasks; kept until the task is cancelled.
    public struct TaskReport: Sendable {
        public let id: TaskId
        public var state: TaskState
        public var attempt: Int
        public var error: String?
        public let metrics: TaskMetrics
    }

    public let index: Int
    private let mode: Mode
    private let inbox = Mutex<[Command]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<Error?>(nil)
    private let taskReports = Mutex<[TaskId: TaskReport]>([:])

    public init(index: Int, mode: Mode) {
        self.index = index
        self.mode = mode
    }

    /// Local mode: the first task failure, which ended the slot.
    public var error: Error? { failure.withLock { $0 } }
    public var reports: [TaskReport] { taskReports.withLock { Array($0.values) } }
    public var metrics: [TaskId: TaskMetrics] { taskReports.withLock { $0.mapValues(\.metrics) } }

    public func submit(_ command: Command) {
        // Reports change at once, so one taken before the slot thread gets to the command agrees with it.
        switch command {
        case .start(let a):
            taskReports.withLock { $0[a.id] = TaskReport(id: a.id, state: .starting, attempt: 0, error: nil, metrics: TaskMetrics()) }
        case .cancel(let id):
            taskReports.withLock { $0[id] = nil }
        case .checkpoint, .checkpointAndStop, .commit:
            break
        }
        inbox.withLock { $0.append(command) }
    }

    public func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "slot-\(index)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Local mode: checkpoint the running tasks and stop. Managed: drop them (the jobmanager
    /// restarts them from their last completed checkpoint).
    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Returns once the slot's thread has ended; any caller, any number of times (a local run
    /// waits again for every slot, this one included, after one of them failed).
    public func wait() {
        done.wait()
        done.signal()
    }

    private final class Running {
        let task: StreamTask
        var nextCheckpointMs: Int64
        /// Rebalancing in transactional mode: stop once the held transaction committed.
        var stopAfterCommit = false
        init(task: StreamTask) {
            self.task = task
            nextCheckpointMs = WallClock.nowMs() + task.spec.checkpointIntervalMs
        }
    }

    private var isLocal: Bool {
        if case .local = mode { return true }
        return false
    }

    private func run() {
        var tasks: [Running] = []
        while !stopRequested.load(ordering: .relaxed) {
            // Read before the commands: a lease renewed right after a cancel was submitted (a
            // registration answer) cannot let the cancelled task run one more round.
            let leased = if case .managed(let lease) = mode { lease.isHeldForRound } else { true }
            for command in inbox.withLock({ commands in defer { commands.removeAll() }; return commands }) {
                apply(command, to: &tasks)
            }
            if failure.withLock({ $0 != nil }) { break }
            if isLocal && tasks.isEmpty { return }
            if case .managed(let lease) = mode, !(leased && lease.isHeld) {
                // No lease, no output: this process may have been declared lost.
                usleep(5_000)
                continue
            }
            var received = 0
            let now = WallClock.nowMs()
            var i = 0
            while i < tasks.count {
                let running = tasks[i]
                do {
                    received += try running.task.poll(maxRecords: 4096, timeoutMs: 0)
                    try running.task.tick(nowMs: now)
                    if running.task.isFinished {
                        running.task.close()
                        setState(running.task.id, .finished)
                        tasks.remove(at: i)
                        continue
                    }
                    if isLocal && now >= running.nextCheckpointMs {
                        try running.task.checkpoint()
                        running.nextCheckpointMs = now + running.task.spec.checkpointIntervalMs
                    }
                    i += 1
                } catch {
                    fail(running.task, error)
                    tasks.remove(at: i)
                }
            }
            if received == 0 { usleep(2_000) }
        }
        let failed = failure.withLock { $0 != nil }
        for running in tasks {
            guard isLocal else {
                running.task.abandon()
                continue
            }
            do {
                if !failed { try running.task.checkpoint() }
                running.task.close()
            } catch {
                fail(running.task, error)
            }
        }
    }

    private func apply(_ command: Command, to tasks: inout [Running]) {
        switch command {
        case .start(let a):
            do {
                let task = try StreamTask(id: a.id, spec: a.spec, config: a.config, sinkPartitions: a.sinkPartitions)
                taskReports.withLock {
                    $0[a.id] = TaskReport(id: a.id, state: .running, attempt: task.attempt, error: nil, metrics: task.metrics)
                }
                tasks.append(Running(task: task))
            } catch {
                let path = TaskCheckpointDirectory(root: a.config.checkpointRoot, job: a.spec.name, partition: a.id.partition).path
                let error = CheckpointStorageError.classify(error, path: path) ?? error
                taskReports.withLock { $0[a.id]?.state = .failed; $0[a.id]?.error = "\(error)" }
                if isLocal { failure.withLock { $0 = $0 ?? error } }
            }
        case .checkpoint(let id, let checkpointId), .checkpointAndStop(let id, let checkpointId, _):
            guard let i = tasks.firstIndex(where: { $0.task.id == id }) else { return }
            let task = tasks[i].task
            do {
                // A request that arrives after its checkpoint (sent again) needs no new one; a move
                // still stops: its successor restores the latest checkpoint and recovery covers the rest.
                if task.metrics.lastCheckpointId.load(ordering: .relaxed) < checkpointId {
                    if case .checkpointAndStop(_, _, drain: true) = command { try task.drain() }
                    try task.checkpoint(requested: checkpointId)
                }
                if case .checkpointAndStop = command {
                    if task.isAwaitingCommit {
                        tasks[i].stopAfterCommit = true
                    } else {
                        stopMoved(at: i, in: &tasks)
                    }
                }
            } catch {
                fail(task, error)
                tasks.remove(at: i)
            }
        case .commit(let id, let completed):
            guard let i = tasks.firstIndex(where: { $0.task.id == id }) else { return }
            do {
                try tasks[i].task.commit(completed: completed)
                if tasks[i].stopAfterCommit && !tasks[i].task.isAwaitingCommit { stopMoved(at: i, in: &tasks) }
            } catch {
                fail(tasks[i].task, error)
                tasks.remove(at: i)
            }
        case .cancel(let id):
            if let i = tasks.firstIndex(where: { $0.task.id == id }) {
                tasks[i].task.abandon()
                tasks.remove(at: i)
            }
        }
    }

    /// A task checkpointed (and committed) to resume on another slot.
    private func stopMoved(at i: Int, in tasks: inout [Running]) {
        tasks[i].task.close()
        setState(tasks[i].task.id, .stopped)
        tasks.remove(at: i)
    }

    private func setState(_ id: TaskId, _ state: TaskState) {
        taskReports.withLock { $0[id]?.state = state }
    }

    private func fail(_ task: StreamTask, _ error: Error) {
        // A full or read-only disk is named as such, whichever layer (RocksDB, Foundation) saw it.
        let error = CheckpointStorageError.classify(error, path: task.checkpointPath) ?? error
        task.abandon()
        taskReports.withLock { $0[task.id]?.state = .failed; $0[task.id]?.error = "\(error)" }
        if isLocal { failure.withLock { $0 = $0 ?? error } }
    }
}
