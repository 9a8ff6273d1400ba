import StreamCore

/// A task as both sides of the wire name it: one source partition of one stage of one submitted
/// job (`JobSpec.stages`; a job that does not repartition has one, stage 0).
public struct TaskKey: Codable, Hashable, Sendable, CustomStringConvertible {
    public var jobId: String
    public var partition: Int32
    /// Index in the job's stages.
    public var stage: Int

    public init(jobId: String, partition: Int32, stage: Int = 0) {
        self.jobId = jobId
        self.partition = partition
        self.stage = stage
    }

    enum CodingKeys: String, CodingKey { case jobId, partition, stage }

    // A taskmanager of a single-stage build names no stage: stage 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decode(String.self, forKey: .jobId)
        partition = try c.decode(Int32.self, forKey: .partition)
        stage = try c.decodeIfPresent(Int.self, forKey: .stage) ?? 0
    }

    public var description: String { stage == 0 ? "\(jobId)/\(partition)" : "\(jobId)/stage-\(stage + 1)/\(partition)" }

    /// The engine's task id. It carries the submission id, so output headers of a re-submitted
    /// job never mix with its previous run's in the recovery scan.
    public func taskId(jobName: String, topic: String) -> TaskId {
        TaskId(job: "\(jobName)@\(jobId)", topic: topic, partition: partition)
    }
}
