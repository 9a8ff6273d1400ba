import Foundation
import Logging

/// Local mode: every task of the given jobs in this process, spread over `slots` threads.
/// Tests, demos and benchmarks use it; the distributed engine runs the same tasks.
public final class LocalJobRunner: @unchecked Sendable {
    public struct Options: Sendable {
        public var bootstrapServers: String
        public var bounded: Bool
        public var slots: Int
        public var checkpointDir: String
        /// Extra librdkafka properties for every client.
        public var kafka: [String: String]
        public init(bootstrapServers: String, bounded: Bool = false, slots: Int = 1,
                    checkpointDir: String, kafka: [String: String] = [:]) {
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
    private var slots: [Slot] = []

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
        let partitions = try RunPreflight.partitionCounts(of: Set(jobs.flatMap(\.topics)), kafka: kafka)
        var config = TaskConfiguration(kafka: kafka, checkpointRoot: options.checkpointDir, bounded: options.bounded)
        config.retainedCheckpoints = 3
        var assignments: [Slot.Assignment] = []
        for job in jobs {
            for p in 0..<partitions[job.source.topic]! {
                assignments.append(Slot.Assignment(id: TaskId(job: job.name, topic: job.source.topic, partition: p),
                                                   spec: job, config: config, sinkPartitions: partitions))
            }
        }
        let slotCount = max(1, min(options.slots, assignments.count))
        slots = (0..<slotCount).map { Slot(index: $0, mode: .local) }
        for (i, a) in assignments.enumerated() { slots[i % slotCount].submit(.start(a)) }
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
    }

    public func stop() {
        for slot in slots { slot.stop() }
    }

    /// Live task figures, by task.
    public var taskMetrics: [TaskId: TaskMetrics] {
        slots.reduce(into: [:]) { all, slot in all.merge(slot.metrics) { a, _ in a } }
    }
}
