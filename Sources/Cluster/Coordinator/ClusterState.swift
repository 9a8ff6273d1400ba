import Foundation
import Jobs
import Logging
import StreamCore

/// Everything the jobmanager knows, changed only under its lock: jobs and their task
/// placements, the slot pool, checkpoints in flight.
struct ClusterState: Sendable {
    let settings: ClusterSettings
    let store: JobRegistryStore
    var jobs: [String: ManagedJob] = [:]
    var taskManagers: [String: RegisteredTaskManager] = [:]
    /// Savepoints whose checkpoint completed, for the jobmanager to copy outside its lock.
    var savepointCopies: [SavepointCopy] = []
    var adoption = Adoption()
    let logger: Logger

    init(settings: ClusterSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        store = JobRegistryStore(checkpointDir: settings.checkpointDir)
    }

    var liveTaskManagers: [RegisteredTaskManager] { taskManagers.values.sorted { $0.id < $1.id } }

    /// A job accepted (or recovered) with its definition and partition counts.
    mutating func admit(_ record: JobRecord, spec: JobSpec, partitions: [String: Int32]) {
        jobs[record.id] = ManagedJob(record: record, spec: spec, partitions: partitions)
    }

    /// A definition whose job of some name still runs is refused whole.
    func refuseActive(_ specs: [JobSpec]) throws(SubmissionError) {
        let active = Set(jobs.values.filter { !$0.record.state.isTerminal }.map(\.spec.name))
        if let clash = specs.first(where: { active.contains($0.name) }) {
            throw .conflict("job \(clash.name) is already submitted and not finished: cancel it first")
        }
    }

    mutating func cancel(_ id: String) -> JobRecord? {
        guard jobs[id] != nil else { return nil }
        if !jobs[id]!.record.state.isTerminal {
            end(id, .canceled, message: "canceled by request")
        }
        return jobs[id]!.record
    }

    mutating func register(_ request: RegistrationRequest, now: UInt64) -> RegistrationResponse {
        let id = "tm-" + UUID().uuidString.lowercased().prefix(8)
        let taskManager = RegisteredTaskManager(id: id, host: request.host, slots: request.slots,
                                                lastHeartbeat: now, lastHeartbeatDate: Date())
        taskManagers[id] = taskManager
        logger.info("taskmanager registered", metadata: ["taskmanager": "\(id)", "host": "\(request.host)", "slots": "\(request.slots)",
                                                         "tasks": "\(request.tasks?.count ?? 0)"])
        let cancels = adopt(request.tasks ?? [], on: id, now: now)
        return RegistrationResponse(taskManagerId: id, bootstrapServers: settings.bootstrapServers,
                                    checkpointDir: settings.checkpointDir, heartbeatIntervalMs: settings.heartbeatIntervalMs,
                                    leaseMs: settings.leaseMs, linkPort: settings.linkPort,
                                    linkKey: settings.linkPort == nil ? nil : taskManager.linkKey,
                                    commands: cancels.isEmpty ? nil : cancels)
    }

    /// Moves a job to a terminal state: its tasks are cancelled on their taskmanagers with the
    /// next heartbeats (the taskmanagers report tasks no job wants any more).
    mutating func end(_ id: String, _ state: JobState, message: String?) {
        if jobs[id]?.activeSavepoint != nil { failSavepoint(id, "job \(state.rawValue) before the savepoint completed") }
        guard var job = jobs[id] else { return }
        job.record.state = state
        job.record.message = message
        _ = job.checkpoints.fail("job \(state.rawValue)", now: Lease.now())
        jobs[id] = job
        persist(id)
        logger.info("job \(state.rawValue.lowercased())", metadata: ["job": "\(job.spec.name)", "id": "\(id)", "reason": "\(message ?? "")"])
    }

    func persist(_ id: String) {
        guard let job = jobs[id] else { return }
        do {
            try store.save(job.record)
        } catch {
            logger.error("cannot persist job", metadata: ["id": "\(id)", "error": "\(error)"])
        }
    }
}
