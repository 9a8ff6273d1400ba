import ArgumentParser
import Foundation
import Jobs
import Logging
import StreamCore
import Synchronization

/// `jobmanager run`: local mode, every task in this process.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run jobs in this process (local mode).",
        discussion: """
            Without --bootstrap-servers an embedded Kafka-protocol cluster (3 brokers, in memory) is \
            started in this process, the jobs' topics are created in it and its address is printed.
            Exit codes: 0 done, 2 bad job definition or Kafka properties, 3 no broker reachable, 4 topic missing, \
            5 checkpoint directory not writable (at start, or full or read-only mid-run), \
            6 savepoint refused (incompatible definition, or state no step claims), 1 anything else.
            SIGINT or SIGTERM stops the tasks with a final checkpoint and takes a savepoint of each job \
            under <checkpoint-dir>/savepoints/<job>/sp-<n>, printing its location.
            """)

    @Argument(help: "Job definitions (YAML).")
    var file: String

    @Option(help: "Run only this job.")
    var job: String?

    @OptionGroup var kafkaOptions: KafkaOptions

    @Flag(help: "Read each source partition to the end offset seen at start, emit everything, exit.")
    var bounded = false

    @Option(help: "Worker threads; tasks (one per source partition) are spread over them.")
    var slots = 2

    @Option(help: "Where checkpoints are kept.")
    var checkpointDir = ".local/checkpoints"

    @Option(help: "Partitions of each topic created in the embedded cluster.")
    var partitions: Int32 = 4

    @Option(help: "Window rows each task keeps in memory; beyond it the oldest windows' rows spill to RocksDB.")
    var maxRowsInMemory = 2_000_000

    @Option(help: "Resume the job from this savepoint directory (one job: name it with --job if the file has several).")
    var fromSavepoint: String?

    @Flag(help: "With --from-savepoint: drop the state of steps the definition no longer has instead of refusing.")
    var allowNonRestoredState = false

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "jobmanager")
        try kafkaOptions.installSecurity(logger: logger)
        let jobs: [JobSpec]
        do {
            jobs = try JobDefinitionLoader.load(path: file).filter { job == nil || $0.name == job }
        } catch {
            throw exitFailure(2, error)
        }
        if jobs.isEmpty {
            throw exitFailure(2, "no job named \(job ?? "") in \(file)")
        }
        if let fromSavepoint {
            try restore(jobs, from: fromSavepoint, logger: logger)
        }
        let kafka = try KafkaHost(bootstrapServers: kafkaOptions.bootstrapServers, partitions: partitions)
        try kafka.createTopics(jobs)
        if kafka.isEmbedded { print("embedded Kafka cluster (3 brokers, in memory) at \(kafka.bootstrapServers)") }
        let runner = LocalJobRunner(jobs: jobs, options: .init(
            bootstrapServers: kafka.bootstrapServers, bounded: bounded, slots: slots, checkpointDir: checkpointDir,
            maxRowsInMemory: maxRowsInMemory), logger: logger)
        let signalled = Atomic<Bool>(false)
        let signals = StopSignals {
            signalled.store(true, ordering: .relaxed)
            runner.stop()
        }
        defer { withExtendedLifetime((signals, kafka)) {} }
        do {
            try runner.run()
        } catch let error as RunError {
            throw exitFailure(error.exitCode, error)
        } catch let error as CheckpointStorageError {
            // Mid-run: the disk filled up or became read-only. The checkpoints published before
            // are whole; a run started again once there is room resumes from them.
            throw exitFailure(RunError.checkpointStorageExitCode, error)
        }
        if signalled.load(ordering: .relaxed) {
            for job in jobs {
                let location = try Savepoint.take(root: checkpointDir, job: job)
                logger.info("savepoint taken", metadata: ["job": "\(job.name)", "location": "\(location)"])
                print("savepoint \(job.name): \(location)")
            }
        }
        if bounded { logger.info("bounded run complete: all input consumed, all output acknowledged") }
    }

    /// Installs the savepoint's state as the job's newest checkpoints, or refuses before anything runs.
    private func restore(_ jobs: [JobSpec], from dir: String, logger: Logger) throws {
        guard jobs.count == 1 else {
            throw exitFailure(2, "--from-savepoint restores one job; name it with --job")
        }
        do {
            let restored = try Savepoint.restore(from: dir, into: checkpointDir, job: jobs[0],
                                                 allowNonRestoredState: allowNonRestoredState)
            if !restored.droppedSteps.isEmpty {
                logger.warning("savepoint state dropped: no step claims it", metadata: [
                    "steps": "\(restored.droppedSteps.joined(separator: ","))", "savepoint": "\(dir)"])
            }
            logger.info("restoring from savepoint", metadata: [
                "savepoint": "\(dir)",
                "offsets": "\(restored.tasks.map { "\($0.partition):\($0.nextOffset)" }.joined(separator: " "))"])
        } catch let error as SavepointError {
            throw exitFailure(6, error)
        }
    }
}
