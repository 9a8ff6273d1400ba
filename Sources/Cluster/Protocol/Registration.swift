/// `POST /taskmanagers`: a taskmanager offers its slots.
public struct RegistrationRequest: Codable, Sendable {
    public var host: String
    public var slots: Int
    /// Tasks it still runs from a previous registration (the jobmanager restarted, or declared
    /// it lost): the jobmanager adopts those it may keep and answers to cancel the others.
    public var tasks: [TaskStatus]?
    public init(host: String, slots: Int, tasks: [TaskStatus]? = nil) {
        self.host = host
        self.slots = slots
        self.tasks = tasks
    }
}

/// What a registered taskmanager needs to run tasks: where Kafka and the checkpoints are, and
/// the heartbeat contract.
public struct RegistrationResponse: Codable, Sendable {
    public var taskManagerId: String
    public var bootstrapServers: String
    /// The shared checkpoint directory: every process must reach the same path.
    public var checkpointDir: String
    public var heartbeatIntervalMs: Int
    /// Output stops this long after the last acknowledged heartbeat was sent.
    public var leaseMs: Int
    /// TCP port of the jobmanager's link: the taskmanager keeps one connection open on it, so
    /// the jobmanager learns at once when the taskmanager's process ends (absent: no link).
    public var linkPort: Int?
    /// What the taskmanager's link presents in its `hello`: the taskmanager ids are public (REST),
    /// this is not, so no other process can open a link in its name and close it.
    public var linkKey: String?
    /// Cancels of the reported tasks the jobmanager did not adopt, to apply before the lease
    /// this answer renews lets any task produce.
    public var commands: [TaskCommand]?
}
