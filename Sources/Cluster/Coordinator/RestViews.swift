import Foundation
import Jobs

/// The JSON bodies of the REST API, in the spirit of Flink's.
public enum RestViews {
    public struct JobSummary: Codable, Sendable {
        public var id: String
        public var name: String
        public var state: JobState
        /// In `GET /jobs`: when it was submitted, its restarts, and its tasks' records per second.
        public var submittedAt: Date?
        public var restarts: Int?
        public var recordsInPerSecond: Double?
        public var recordsOutPerSecond: Double?
    }

    public struct JobList: Codable, Sendable {
        public var jobs: [JobSummary]
    }

    public struct Submitted: Codable, Sendable {
        public var jobs: [JobSummary]
        public init(jobs: [JobSummary]) { self.jobs = jobs }
    }

    public struct Task: Codable, Sendable {
        public var partition: Int32
        public var topic: String
        /// 1 or 2 in a job that repartitions (stage 2 reads the repartition topic); nil otherwise.
        public var stage: Int?
        public var state: String
        public var taskmanager: String?
        public var slot: Int?
        public var attempt: Int?
        public var offset: Int64?
        public var endOffset: Int64?
        public var lag: Int64?
        public var watermark: Int64?
        public var recordsIn: Int64?
        public var recordsOut: Int64?
        public var recordsInPerSecond: Double
        public var recordsOutPerSecond: Double
        public var badRecords: Int64?
        public var lateRecords: Int64?
        public var lastCheckpoint: Int64?
        /// Transactional: the checkpoint of the task's last committed transaction.
        public var lastCommittedCheckpoint: Int64?
        /// Wall-clock time minus the watermark, in milliseconds.
        public var watermarkLagMs: Int64?
        /// Flink's task times, in ms per second over the last heartbeat interval.
        public var busyTimeMsPerSecond: Double?
        public var idleTimeMsPerSecond: Double?
        public var backPressuredTimeMsPerSecond: Double?
        public var lastCheckpointDurationMs: Int64?
        public var lastCheckpointBytes: Int64?
        public var stateRowsInMemory: Int64?
        /// Window rows moved from memory to RocksDB by spilling, in total.
        public var stateRowsSpilled: Int64?
        public var keysHeld: Int64?
        /// The task's last failure since the job's last completed checkpoint (none once the task
        /// finished), and while it waits
        /// out its restart backoff, the milliseconds left.
        public var failure: String?
        public var restartInMs: Int64?
        /// While the task's Kafka clients cannot reach a broker: what librdkafka last said.
        public var kafkaError: String?
    }

    public struct JobDetail: Codable, Sendable {
        public var id: String
        public var name: String
        public var state: JobState
        public var bounded: Bool
        public var submittedAt: Date
        /// Why the job waits (e.g. for slots) or failed.
        public var message: String?
        public var restarts: Int
        public var lastCompletedCheckpoint: Int64?
        public var tasks: [Task]
    }

    public struct Checkpoints: Codable, Sendable {
        public var completed: Int
        public var failed: Int
        public var inProgress: CheckpointRecord?
        public var latestCompleted: Int64?
        /// The most recent ones, oldest first.
        public var history: [CheckpointRecord]
    }

    public struct TaskManager: Codable, Sendable {
        public var id: String
        public var host: String
        public var slots: Int
        /// Slots running no task.
        public var freeSlots: Int
        public var tasks: Int
        public var lastHeartbeat: Date
        public var millisSinceHeartbeat: Int64
    }

    /// `GET /taskmanagers/{id}`.
    public struct TaskManagerDetail: Codable, Sendable {
        public var id: String
        public var host: String
        public var slots: Int
        public var freeSlots: Int
        public var registeredAt: Date
        public var lastHeartbeat: Date
        public var millisSinceHeartbeat: Int64
        /// Resident memory of the process, as its last heartbeat reported it.
        public var memoryBytes: Int64?
        public var tasks: [PlacedTask]
    }

    public struct PlacedTask: Codable, Sendable {
        public var jobId: String
        public var job: String
        public var partition: Int32
        public var slot: Int?
        public var state: String
        public var attempt: Int?
    }

    /// `GET /jobs/{id}/exceptions`: task failures and taskmanager losses, newest first.
    public struct Exceptions: Codable, Sendable {
        public var exceptions: [JobException]
    }

    public struct JobException: Codable, Sendable {
        public var time: Date
        public var partition: Int32
        public var taskmanager: String?
        public var attempt: Int?
        public var message: String
    }

    /// `GET /jobs/{id}/plan`: the job as a chain of steps (source, filters, sets, dedups, the window,
    /// the sinks), each with its records per second summed over the tasks, and the definition.
    public struct Plan: Codable, Sendable {
        public var id: String
        public var name: String
        public var parallelism: Int
        public var nodes: [PlanNode]
        public var edges: [PlanEdge]
        /// The submitted YAML the job was taken from.
        public var definition: String
    }

    public struct PlanNode: Codable, Sendable {
        public var id: String
        /// source, filter, set, dedup, keyBy, window, sink, late, deadLetter
        public var kind: String
        public var description: String
        public var recordsInPerSecond: Double?
        public var recordsOutPerSecond: Double?
        /// Totals over the tasks' current attempts.
        public var recordsIn: Int64?
        public var recordsOut: Int64?
    }

    public struct PlanEdge: Codable, Sendable {
        public var from: String
        public var to: String
    }

    public struct TaskManagerList: Codable, Sendable {
        public var taskmanagers: [TaskManager]
    }

    public struct Overview: Codable, Sendable {
        public var taskmanagers: Int
        public var slotsTotal: Int
        public var slotsAvailable: Int
        public var jobs: [String: Int]
        public var bootstrapServers: String
        public var checkpointDir: String
    }

    /// An error answer; a refused definition also lists every problem (the first is in the
    /// top-level fields).
    public struct Failure: Codable, Sendable {
        public var error: String
        public var file: String?
        public var line: Int?
        public var column: Int?
        public var errors: [JobDefinitionError]?
        public init(error: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                    errors: [JobDefinitionError]? = nil) {
            self.error = error
            self.file = file
            self.line = line
            self.column = column
            self.errors = errors
        }
    }

}
