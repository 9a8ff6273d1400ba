import Foundation
import Jobs
import Logging
import StreamCore
import Synchronization

/// The coordinator: job registry, slot pool, assignment, heartbeats and checkpoint triggers.
/// Every call is short and synchronous under one lock; the HTTP layer is a thin shell around it.
public final class JobManager: Sendable {
    /// Makes sure the jobs' topics exist (the embedded cluster creates them) and returns every
    /// topic's partition count; throws when a topic is missing.
    public typealias TopicPreparer = @Sendable ([JobSpec]) throws -> [String: Int32]

    public let settings: ClusterSettings
    private let state: Mutex<ClusterState>
    private let prepareTopics: TopicPreparer
    private let logger: Logger
    private let ticking = Atomic<Bool>(true)

    public init(settings: ClusterSettings, logger: Logger, prepareTopics: @escaping TopicPreparer) {
        self.settings = settings
        self.logger = logger
        self.prepareTopics = prepareTopics
        state = Mutex(ClusterState(settings: settings, logger: logger))
    }

    /// Reloads the registry a previous jobmanager left. Unfinished jobs adopt the tasks that
    /// taskmanagers still run when those register again; for up to the loss timeout the others
    /// wait, then they resume from their latest checkpoints.
    public func recover() throws {
        let records = try JobRegistryStore(checkpointDir: settings.checkpointDir).loadAll()
        var recovered = Set<String>()
        for var record in records {
            let spec = try JobDefinitionLoader.load(yaml: record.yaml, file: record.id).first { $0.name == record.name }!
            let partitions = record.state.isTerminal ? [spec.source.topic: 0] : try prepareTopics([spec])
            if !record.state.isTerminal {
                recovered.insert(record.id)
                record.state = .created
                record.message = "recovered after a jobmanager restart"
                logger.info("job recovered", metadata: ["job": "\(record.name)", "id": "\(record.id)",
                                                        "lastCheckpoint": "\(record.lastCompletedCheckpoint?.id ?? -1)"])
            }
            state.withLock { $0.admit(record, spec: spec, partitions: partitions) }
        }
        state.withLock { $0.awaitReregistration(of: recovered, now: Lease.now()) }
    }

    /// Accepts one or several jobs from a YAML definition, all or none.
    public func submit(yaml: String, bounded: Bool) throws(SubmissionError) -> [RestViews.JobSummary] {
        let specs: [JobSpec]
        do {
            specs = try JobDefinitionLoader.load(yaml: yaml, file: "request body")
        } catch {
            throw .definition(error.errors)
        }
        let partitions: [String: Int32]
        do {
            partitions = try prepareTopics(specs)
        } catch {
            throw .topics("\(error)")
        }
        return try state.withLock { (s: inout ClusterState) throws(SubmissionError) -> [RestViews.JobSummary] in
            let active = Set(s.jobs.values.filter { !$0.record.state.isTerminal }.map(\.spec.name))
            if let clash = specs.first(where: { active.contains($0.name) }) {
                throw .conflict("job \(clash.name) is already submitted and not finished: cancel it first")
            }
            return specs.map { spec in
                let record = JobRecord(id: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), name: spec.name,
                                       yaml: yaml, bounded: bounded, state: .created, submittedAt: Date(), message: nil,
                                       lastCompletedCheckpoint: nil, nextCheckpointId: 1, restarts: 0)
                s.admit(record, spec: spec, partitions: partitions)
                s.persist(record.id)
                logger.info("job submitted", metadata: ["job": "\(spec.name)", "id": "\(record.id)", "bounded": "\(bounded)",
                                                        "tasks": "\(partitions[spec.source.topic]!)"])
                return s.jobs[record.id]!.summary
            }
        }
    }

    public func cancel(_ id: String) -> RestViews.JobSummary? {
        state.withLock { s in s.cancel(id).map { RestViews.JobSummary(id: $0.id, name: $0.name, state: $0.state) } }
    }

    public func register(_ request: RegistrationRequest) -> RegistrationResponse {
        state.withLock { $0.register(request, now: Lease.now()) }
    }

    public func heartbeat(from tmId: String, _ request: HeartbeatRequest) -> HeartbeatResponse? {
        state.withLock { $0.heartbeat(from: tmId, request, now: Lease.now()) }
    }

    /// The taskmanager's link closed the way only its process ending closes it: its tasks are
    /// placed elsewhere now instead of after the loss timeout. False for an unknown taskmanager.
    @discardableResult
    public func processEnded(_ tmId: String, reason: String) -> Bool {
        state.withLock { s in
            guard s.taskManagers[tmId] != nil else { return false }
            let now = Lease.now()
            s.lose(tmId, because: reason, now: now)
            s.tick(now: now)
            return true
        }
    }

    /// Whether `key` is the link key `tmId` was given at registration.
    public func linkKeyMatches(_ tmId: String, _ key: String) -> Bool {
        state.withLock { $0.taskManagers[tmId]?.linkKey == key }
    }

    /// Runs the coordinator's clock on its own thread until `stop()`.
    public func startTicking(everyMs: Int = 100) {
        let thread = Thread { [self] in
            while ticking.load(ordering: .relaxed) {
                state.withLock { $0.tick(now: Lease.now()) }
                usleep(UInt32(everyMs) * 1000)
            }
        }
        thread.name = "jobmanager-clock"
        thread.start()
    }

    public func stop() { ticking.store(false, ordering: .relaxed) }

    public func jobList() -> RestViews.JobList { state.withLock { $0.jobList() } }
    public func jobDetail(_ id: String) -> RestViews.JobDetail? { state.withLock { $0.jobDetail(id) } }
    public func checkpoints(_ id: String) -> RestViews.Checkpoints? { state.withLock { $0.checkpoints(id) } }
    public func taskManagers() -> RestViews.TaskManagerList { state.withLock { $0.taskManagerList(now: Lease.now()) } }
    public func overview() -> RestViews.Overview { state.withLock { $0.overview() } }
    public func exceptions(_ id: String) -> RestViews.Exceptions? { state.withLock { $0.exceptions(id) } }
    public func plan(_ id: String) -> RestViews.Plan? { state.withLock { $0.plan(id) } }
    public func taskManager(_ id: String) -> RestViews.TaskManagerDetail? {
        state.withLock { $0.taskManagerDetail(id, now: Lease.now()) }
    }
}
