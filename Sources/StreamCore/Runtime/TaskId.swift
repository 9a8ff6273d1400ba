/// A task is one source partition of a job, with its state and its output.
public struct TaskId: Hashable, Sendable, CustomStringConvertible {
    public let job: String
    public let topic: String
    public let partition: Int32
    public init(job: String, topic: String, partition: Int32) {
        self.job = job
        self.topic = topic
        self.partition = partition
    }
    public var description: String { "\(job)/\(topic)/\(partition)" }
}
