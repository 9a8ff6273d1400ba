import Foundation
import Logging
import StreamCore

extension ClusterState {
    /// Accepts a savepoint (or stop) of a running job; its checkpoint is triggered by the clock
    /// once no other checkpoint is in flight. The savepoint goes to `<targetDirectory>/sp-<n>`,
    /// by default under `<checkpointDir>/savepoints/<job>`.
    mutating func requestSavepoint(_ id: String, kind: SavepointOperation.Kind, drain: Bool,
                                   targetDirectory: String?) throws(SavepointRequestError) -> SavepointOperation {
        guard let job = jobs[id] else { throw .unknownJob(id) }
        if kind == .stop, drain, let repartition = job.spec.repartition {
            // Its stage-2 tasks would fire before reading what stage 1 wrote last.
            throw .conflict("job \(job.spec.name) repartitions through \(repartition.topic): a stop with drain would fire "
                + "stage 2's windows before they read stage 1's last records; stop it without drain (the savepoint keeps "
                + "every window), or run it bounded")
        }
        guard job.record.state == .running else {
            throw .conflict("job \(job.spec.name) is \(job.record.state.rawValue), not RUNNING: only a running job takes a savepoint")
        }
        if let active = job.activeSavepoint {
            throw .conflict("a \(active.kind.rawValue) of job \(job.spec.name) is in progress: request \(active.requestId)")
        }
        let operation = SavepointOperation(requestId: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                           kind: kind, drain: kind == .stop && drain, status: .inProgress, triggeredAt: Date())
        jobs[id]!.savepoints.append(operation)
        if jobs[id]!.savepoints.count > ManagedJob.savepointHistorySize { jobs[id]!.savepoints.removeFirst() }
        jobs[id]!.savepointStep = .waiting
        jobs[id]!.savepointParent = targetDirectory ?? "\(settings.checkpointDir)/savepoints/\(job.spec.name)"
        logger.info("\(kind.rawValue) requested", metadata: ["job": "\(job.spec.name)", "id": "\(id)",
                                                             "request": "\(operation.requestId)", "drain": "\(operation.drain)"])
        return operation
    }

    /// Moves the job's savepoint on: triggers its checkpoint when none is in flight and every
    /// task runs, then waits for the checkpoint to complete (and, for a stop, every task to
    /// stop), then queues the copy.
    mutating func advanceSavepoint(_ id: String, now: UInt64) {
        guard let operation = jobs[id]!.activeSavepoint else { return }
        let job = jobs[id]!
        switch job.savepointStep {
        case .waiting:
            guard job.record.state == .running, job.checkpoints.pending == nil,
                  job.tasks.allSatisfy({ $0.phase == .running || $0.phase == .finished }) else { return }
            let checkpointId = job.record.nextCheckpointId
            jobs[id]!.record.nextCheckpointId += 1
            jobs[id]!.checkpoints.trigger(id: checkpointId, tasks: Set(job.tasks.filter(\.isActive).map(\.key)), now: now)
            if operation.kind == .stop {
                for i in job.tasks.indices where job.tasks[i].isActive { jobs[id]!.tasks[i].stopAfterCheckpoint = checkpointId }
            }
            jobs[id]!.savepoints[job.savepoints.count - 1].checkpointId = checkpointId
            jobs[id]!.savepointStep = .checkpointing
        case .checkpointing:
            let checkpointId = operation.checkpointId!
            guard (job.record.lastCompletedCheckpoint?.id ?? -1) >= checkpointId else {
                if job.checkpoints.pending?.id == checkpointId { return }
                let reason = job.checkpoints.history.last { $0.id == checkpointId }?.reason ?? "not completed"
                failSavepoint(id, "checkpoint \(checkpointId) failed: \(reason)")
                return
            }
            if operation.kind == .stop {
                if let restarted = job.tasks.first(where: { $0.phase == .scheduled || $0.phase == .deploying }) {
                    failSavepoint(id, "task \(job.label(restarted.key)) restarted before it stopped: \(restarted.lastFailure ?? "taskmanager lost")")
                    return
                }
                guard job.tasks.allSatisfy({ $0.phase == .finished }) else { return }
            }
            jobs[id]!.savepointStep = .copying
            savepointCopies.append(SavepointCopy(jobId: id, requestId: operation.requestId, root: "\(settings.checkpointDir)/\(id)",
                                                 spec: job.spec, parent: job.savepointParent))
        case .copying, .done:
            return
        }
    }

    /// The copy's outcome: the savepoint completes (a stopped job ends FINISHED), or fails.
    mutating func savepointCopied(_ copy: SavepointCopy, _ result: Result<String, Error>) {
        guard let job = jobs[copy.jobId], job.activeSavepoint?.requestId == copy.requestId else { return }
        switch result {
        case .success(let location):
            let last = job.savepoints.count - 1
            jobs[copy.jobId]!.savepoints[last].status = .completed
            jobs[copy.jobId]!.savepoints[last].location = location
            jobs[copy.jobId]!.savepoints[last].completedAt = Date()
            jobs[copy.jobId]!.savepointStep = .done
            logger.info("savepoint completed", metadata: ["job": "\(job.spec.name)", "id": "\(copy.jobId)", "location": "\(location)"])
            if job.savepoints[last].kind == .stop {
                end(copy.jobId, .finished, message: "stopped with savepoint \(location)")
            }
        case .failure(let error):
            failSavepoint(copy.jobId, "cannot write the savepoint under \(copy.parent): \(error)")
        }
    }

    /// Ends the savepoint in progress as failed. A job being stopped runs on: tasks that stopped
    /// restart from their checkpoint (a task that had finished its bounded input finishes again).
    mutating func failSavepoint(_ id: String, _ cause: String) {
        guard let job = jobs[id], job.activeSavepoint != nil else { return }
        let last = job.savepoints.count - 1
        jobs[id]!.savepoints[last].status = .failed
        jobs[id]!.savepoints[last].failureCause = cause
        jobs[id]!.savepoints[last].completedAt = Date()
        jobs[id]!.savepointStep = .done
        if job.savepoints[last].kind == .stop && !job.record.state.isTerminal {
            for i in job.tasks.indices {
                jobs[id]!.tasks[i].stopAfterCheckpoint = nil
                if job.tasks[i].phase == .finished { jobs[id]!.tasks[i].unassign() }
            }
        }
        logger.warning("\(job.savepoints[last].kind.rawValue) failed", metadata: ["job": "\(job.spec.name)", "id": "\(id)", "reason": "\(cause)"])
    }

    func savepoints(_ id: String) -> [SavepointOperation]? { jobs[id]?.savepoints }
}
