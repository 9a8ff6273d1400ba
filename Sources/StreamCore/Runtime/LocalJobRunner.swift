import Foundation
import Logging
import Synchronization

/// Local mode: every task of the given jobs (of both stages of a repartitioning job) in this
/// process, spread over `slots` threads.
/// Tests, demos and benchmarks use it; the distributed engine runs the same tasks.
public final class LocalJobRunner: @unchecked Sendable {
    public struct Options: Sendable {
        public var bootstrapServers: String
        public var bounded: Bool
        public var slots: Int
        public var checkpointDir: String
        /// Extra librdkafka properties for every client.
        public var kafka: [String: String]
        /// Window rows each task keeps in memory before spilling to RocksDB.
        public var maxRowsInMemory: Int
        public init(bootstrapServers: String, bounded: Bool = false, slots: Int = 1,
                    checkpointDir: String, kafka: [String: String] = [:], maxRowsInMemory: Int = 2_000_000) {
            self.maxRowsInMemory = maxRowsInMemory
            self.bootstrapServers = bootstrapServers
            self.bounded = bounded
            self.slots = slots
            self.checkpointDir = checkpointDir
            self.kafka = kafka
        }
    }

    private let jobs: [JobSpec]
    private let options: Options
    private let logger: Logger
    /// Set by `run()`, read by `stop()` from other threads; a stop before the slots exist sticks.
    private let running = Mutex<(slots: [Slot], stopped: Bool)>(([], false))

    public init(jobs: [JobSpec], options: Options, logger: Logger = Logger(label: "stream.local")) {
        self.jobs = jobs
        self.options = options
        self.logger = logger
    }

    /// Runs until a bounded run has consumed and emitted all its input (and the broker
    /// acknowledged it), or until `stop()`.
    public func run() throws {
        try RunPreflight.checkpointDirectoryWritable(options.checkpointDir)
        var kafka = options.kafka
        kafka["bootstrap.servers"] = options.bootstrapServers
        let stages = jobs.flatMap(\.stages)
        // A stage 2 has a stage-1 task per partition of its upstream topic.
        let partitions = try RunPreflight.partitionCounts(of: Set(jobs.flatMap(\.topics) + stages.compactMap(\.upstreamTopic)),
                                                          kafka: kafka)
        var config = TaskConfiguration(kafka: kafka, checkpointRoot: options.checkpointDir, bounded: options.bounded)
        config.maxRowsInMemory = options.maxRowsInMemory
        var assignments: [Slot.Assignment] = []
        for stage in stages {
            for p in 0..<partitions[stage.source.topic]! {
                assignments.append(Slot.Assignment(id: TaskId(job: stage.name, topic: stage.source.topic, partition: p),
                                                   spec: stage, config: config, sinkPartitions: partitions))
            }
        }
        let slotCount = max(1, min(options.slots, assignments.count))
        let slots = (0..<slotCount).map { Slot(index: $0, mode: .local) }
        for (i, a) in assignments.enumerated() { slots[i % slotCount].submit(.start(a)) }
        let stopped = running.withLock { state in
            state.slots = slots
            return state.stopped
        }
        if stopped { return }
        logger.info("running \(assignments.count) tasks of \(jobs.count) job(s) on \(slotCount) slot(s)",
                    metadata: ["bounded": "\(options.bounded)", "checkpoints": "\(options.checkpointDir)"])
        for slot in slots { slot.start() }
        for slot in slots {
            slot.wait()
            if let error = slot.error {
                for other in slots { other.stop() }
                for other in slots { other.wait() }
                throw error
            }
        }
        for (id, m) in taskMetrics.sorted(by: { $0.key.description < $1.key.description }) {
            logger.info("task \(id) stopped", metadata: [
                "recordsIn": "\(m.recordsIn.load(ordering: .relaxed))", "badRecords": "\(m.badRecords.load(ordering: .relaxed))",
                "lateRecords": "\(m.lateRecords.load(ordering: .relaxed))", "recordsOut": "\(m.recordsOut.load(ordering: .relaxed))",
                "nextOffset": "\(m.nextOffset.load(ordering: .relaxed))", "checkpoint": "\(m.lastCheckpointId.load(ordering: .relaxed))"])
        }
    }

    public func stop() {
        let slots = running.withLock { state in
            state.stopped = true
            return state.slots
        }
        for slot in slots { slot.stop() }
    }

    /// Live task figures, by task.
    public var taskMetrics: [TaskId: TaskMetrics] {
        running.withLock { $0.slots }.reduce(into: [:]) { all, slot in all.merge(slot.metrics) { a, _ in a } }
    }
}
