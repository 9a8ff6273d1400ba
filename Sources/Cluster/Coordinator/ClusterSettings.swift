import Jobs

/// The jobmanager's timing and storage contract.
public struct ClusterSettings: Sendable {
    public var checkpointDir: String
    public var bootstrapServers: String
    public var heartbeatIntervalMs = 500
    /// A taskmanager silent this long is lost; its tasks restart elsewhere.
    public var lossTimeoutMs = 3_000
    /// Shorter than the loss timeout, so a cut-off taskmanager stops producing before its tasks
    /// restart elsewhere. Half of it: the gap absorbs scheduling delays of the taskmanager.
    public var leaseMs = 1_500
    /// Failures in a row of one task that its job survives (each restarts the task from its
    /// last checkpoint); a completed checkpoint of the job starts the count again.
    public var maxRestarts = 10
    /// The wait before a failed task starts again (loss of a taskmanager restarts at once).
    public var restartBackoff = RestartBackoff(initialMs: 1_000, maxMs: 60_000)
    /// Announced to taskmanagers at registration (see `RegistrationResponse.linkPort`).
    public var linkPort: Int?

    public init(checkpointDir: String, bootstrapServers: String) {
        self.checkpointDir = checkpointDir
        self.bootstrapServers = bootstrapServers
    }
}

/// Why a submission was refused; nothing of it started.
public enum SubmissionError: Error, CustomStringConvertible, Sendable {
    /// Every problem of the definition, in file order.
    case definition([JobDefinitionError])
    case conflict(String)
    case topics(String)
    /// The savepoint to resume from is missing, of another job, or refused by the definition.
    case savepoint(String)

    public var description: String {
        switch self {
        case .definition(let problems): problems.map(\.description).joined(separator: "\n")
        case .conflict(let why): why
        case .topics(let why): why
        case .savepoint(let why): why
        }
    }
}

/// Where a submitted job resumes from: a savepoint's directory and whether state that no step
/// of the new definition claims may be dropped.
public struct SavepointRestore: Sendable {
    public var path: String
    public var allowNonRestoredState: Bool

    public init(path: String, allowNonRestoredState: Bool) {
        self.path = path
        self.allowNonRestoredState = allowNonRestoredState
    }
}
