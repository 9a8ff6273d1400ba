import Foundation
import Synchronization

/// Bounded replay of NDJSON files (backfills, benchmarks): one task per (job, input file), run
/// on `slots` plain threads, each taking the next task when it finished its last, as slot
/// threads do. No Kafka and no checkpoints: a failed replay is run again from the start.
///
/// Output: `<outputDir>/<topic>/part-<job>-<taskIndex>.jsonl`, where the task index is the input
/// file's position in `inputs` (so one file gives the same index in every job).
public final class FileReplayRunner: Sendable {
    public struct Options: Sendable {
        public var slots: Int
        /// Window rows each task keeps in memory before spilling to RocksDB (as in a Kafka run).
        public var maxRowsInMemory: Int
        /// Encode the output and drop it, writing no part files (`BlackholeSink`).
        public var discardOutput: Bool
        public init(slots: Int = 1, maxRowsInMemory: Int = 2_000_000, discardOutput: Bool = false) {
            self.slots = slots
            self.maxRowsInMemory = maxRowsInMemory
            self.discardOutput = discardOutput
        }
    }

    private let jobs: [JobSpec]
    private let inputs: [String]
    private let outputDir: String
    private let options: Options

    /// `inputs` are files (see `ReplayInputs.expand` for directories).
    public init(jobs: [JobSpec], inputs: [String], outputDir: String, options: Options = Options()) {
        self.jobs = jobs
        self.inputs = inputs
        self.outputDir = outputDir
        self.options = options
    }

    /// Runs every task; throws the first task failure once the running tasks ended (tasks not
    /// started by then are skipped). A failed task leaves no part file under its final name.
    public func run() throws -> FileReplaySummary {
        if let job = jobs.first(where: { $0.repartition != nil }) {
            throw FileReplayError.repartitions(job: job.name, topic: job.repartition!.topic)
        }
        do {
            try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        } catch {
            throw FileReplayError.outputDirectoryUnwritable(outputDir, error.localizedDescription)
        }
        guard access(outputDir, W_OK) == 0 else {
            throw FileReplayError.outputDirectoryUnwritable(outputDir, String(cString: strerror(errno)))
        }
        let queue = TaskQueue(jobs.flatMap { job in
            inputs.enumerated().map { i, file in
                FileReplayTask(spec: job, file: file, taskIndex: i, outputDir: outputDir, maxRowsInMemory: options.maxRowsInMemory,
                               discardOutput: options.discardOutput)
            }
        })
        let threadCount = max(1, min(options.slots, queue.tasks.count))
        let done = DispatchSemaphore(value: 0)
        let started = Lease.now()
        for t in 0..<threadCount {
            let thread = Thread {
                queue.runUntilEmptyOrFailed()
                done.signal()
            }
            thread.name = "replay-\(t)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<threadCount { done.wait() }
        let wall = ReplayClock.seconds(since: started)
        try? FileManager.default.removeItem(atPath: "\(outputDir)/.replay-state")
        if let error = queue.failure.withLock({ $0 }) { throw error }
        return FileReplaySummary(tasks: queue.results.withLock { $0.compactMap { $0 } }, slots: threadCount, wallSeconds: wall)
    }
}

/// The tasks of a replay, handed out by index to whichever thread asks next.
private final class TaskQueue: @unchecked Sendable {
    /// Each task is touched only by the one thread that took its index.
    let tasks: [FileReplayTask]
    let next = Atomic<Int>(0)
    let results: Mutex<[FileReplayTaskSummary?]>
    let failure = Mutex<Error?>(nil)

    init(_ tasks: [FileReplayTask]) {
        self.tasks = tasks
        results = Mutex(Array(repeating: nil, count: tasks.count))
    }

    /// After a failure no thread starts another task: the replay has failed and is rerun whole.
    func runUntilEmptyOrFailed() {
        while failure.withLock({ $0 == nil }) {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < tasks.count else { return }
            do {
                let summary = try tasks[i].run()
                results.withLock { $0[i] = summary }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
    }
}
