import StreamCore

/// A task as both sides of the wire name it: one source partition of one submitted job.
public struct TaskKey: Codable, Hashable, Sendable, CustomStringConvertible {
    public var jobId: String
    public var partition: Int32

    public init(jobId: String, partition: Int32) {
        self.jobId = jobId
        self.partition = partition
    }

    public var description: String { "\(jobId)/\(partition)" }

    /// The engine's task id. It carries the submission id, so output headers of a re-submitted
    /// job never mix with its previous run's in the recovery scan.
    public func taskId(jobName: String, topic: String) -> TaskId {
        TaskId(job: "\(jobName)@\(jobId)", topic: topic, partition: partition)
    }
}
