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

    /// Accepts one or several jobs from a YAML definition, all or none. With `fromSavepoint`, the
    /// definition's job of the savepoint's name resumes from it (checked before anything is kept).
    public func submit(yaml: String, bounded: Bool, fromSavepoint: SavepointRestore? = nil) throws(SubmissionError) -> [RestViews.JobSummary] {
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
        let ids = specs.map { _ in UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
        try state.withLock { (s: inout ClusterState) throws(SubmissionError) in try s.refuseActive(specs) }
        var nextCheckpointIds: [String: Int64] = [:]
        if let fromSavepoint {
            let (name, next) = try restore(fromSavepoint, specs: specs, ids: ids, partitions: partitions)
            nextCheckpointIds[name] = next
        }
        return try state.withLock { (s: inout ClusterState) throws(SubmissionError) -> [RestViews.JobSummary] in
            do throws(SubmissionError) {
                try s.refuseActive(specs)
            } catch {
                for id in ids { try? FileManager.default.removeItem(atPath: "\(settings.checkpointDir)/\(id)") }
                throw error
            }
            return zip(ids, specs).map { id, spec in
                let record = JobRecord(id: id, name: spec.name,
                                       yaml: yaml, bounded: bounded, state: .created, submittedAt: Date(), message: nil,
                                       lastCompletedCheckpoint: nil, nextCheckpointId: nextCheckpointIds[spec.name] ?? 1, restarts: 0)
                s.admit(record, spec: spec, partitions: partitions)
                s.persist(record.id)
                logger.info("job submitted", metadata: ["job": "\(spec.name)", "id": "\(record.id)", "bounded": "\(bounded)",
                                                        "tasks": "\(partitions[spec.source.topic]!)"])
                return s.jobs[record.id]!.summary
            }
        }
    }

    /// Installs the savepoint's state as the checkpoints of the new job of its name; returns that
    /// name and the job's first checkpoint id (past every restored one).
    private func restore(_ from: SavepointRestore, specs: [JobSpec], ids: [String],
                         partitions: [String: Int32]) throws(SubmissionError) -> (String, Int64) {
        do {
            let manifest = try SavepointManifest.read(from.path)
            guard let i = specs.firstIndex(where: { $0.name == manifest.job.name }) else {
                throw SubmissionError.savepoint("savepoint \(from.path) is of job \(manifest.job.name), which the definition does not have")
            }
            let restored = try Savepoint.restore(from: from.path, into: "\(settings.checkpointDir)/\(ids[i])", job: specs[i],
                                                 partitions: partitions, allowNonRestoredState: from.allowNonRestoredState)
            if !restored.droppedSteps.isEmpty {
                logger.warning("savepoint state dropped: no step claims it",
                               metadata: ["steps": "\(restored.droppedSteps.joined(separator: ","))", "savepoint": "\(from.path)"])
            }
            logger.info("restoring from savepoint", metadata: ["job": "\(specs[i].name)", "id": "\(ids[i])", "savepoint": "\(from.path)"])
            return (specs[i].name, (restored.tasks.map(\.checkpointId).max() ?? 0) + 1)
        } catch let error as SubmissionError {
            throw error
        } catch {
            for id in ids { try? FileManager.default.removeItem(atPath: "\(settings.checkpointDir)/\(id)") }
            throw .savepoint("\(error)")
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
                let copies = state.withLock { s in
                    s.tick(now: Lease.now())
                    defer { s.savepointCopies.removeAll() }
                    return s.savepointCopies
                }
                for copy in copies { writeSavepoint(copy) }
                usleep(UInt32(everyMs) * 1000)
            }
        }
        thread.name = "jobmanager-clock"
        thread.start()
    }

    public func stop() { ticking.store(false, ordering: .relaxed) }

    /// Copies a savepoint's task checkpoints outside the lock: heartbeats go on meanwhile, and no
    /// task checkpoints again before the copy is reported.
    private func writeSavepoint(_ copy: SavepointCopy) {
        let result = Result { try Savepoint.take(root: copy.root, job: copy.spec, into: copy.parent) }
        state.withLock { $0.savepointCopied(copy, result) }
    }

    /// `POST /jobs/{id}/savepoints` (`kind: .savepoint`) and `POST /jobs/{id}/stop`.
    public func requestSavepoint(_ id: String, kind: SavepointOperation.Kind, drain: Bool = false,
                                 targetDirectory: String? = nil) throws(SavepointRequestError) -> SavepointOperation {
        try state.withLock { (s: inout ClusterState) throws(SavepointRequestError) -> SavepointOperation in
            try s.requestSavepoint(id, kind: kind, drain: drain, targetDirectory: targetDirectory)
        }
    }

    /// The job's savepoint operations, oldest first; nil for an unknown job.
    public func savepoints(_ id: String) -> [SavepointOperation]? { state.withLock { $0.savepoints(id) } }

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
