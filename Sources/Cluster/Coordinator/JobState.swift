/// A submitted job's state, with Apache Flink's names.
public enum JobState: String, Codable, Sendable, CaseIterable {
    /// Accepted, waiting for enough slots to place all its tasks (the job says how many).
    case created = "CREATED"
    case running = "RUNNING"
    /// Bounded run complete: all input consumed, all output acknowledged.
    case finished = "FINISHED"
    /// A task failed more often than the restart budget allows.
    case failed = "FAILED"
    case canceled = "CANCELED"

    public var isTerminal: Bool { self == .finished || self == .failed || self == .canceled }
}
