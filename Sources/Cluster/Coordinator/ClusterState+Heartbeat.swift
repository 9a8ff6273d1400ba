import Foundation
import Logging
import StreamCore

extension ClusterState {
    /// Takes a heartbeat's reports and answers with the commands that bring the taskmanager to
    /// what the jobmanager wants; nil for a taskmanager it does not know (declared lost, or
    /// registered with a previous jobmanager), which must drop its tasks and register again.
    mutating func heartbeat(from tmId: String, _ request: HeartbeatRequest, now: UInt64) -> HeartbeatResponse? {
        guard taskManagers[tmId] != nil else { return nil }
        taskManagers[tmId]!.lastHeartbeat = now
        taskManagers[tmId]!.lastHeartbeatDate = .init()
        if let memory = request.memoryBytes { taskManagers[tmId]!.memoryBytes = memory }
        var commands: [TaskCommand] = []
        var reported = Set<TaskKey>()
        for status in request.tasks {
            reported.insert(status.key)
            let key = status.key
            guard let job = jobs[key.jobId], !job.record.state.isTerminal, let i = job.index(of: key),
                  job.tasks[i].taskManager == tmId else {
                commands.append(TaskCommand(kind: .cancel, key: key, slot: status.slot))
                continue
            }
            if let command = take(status, job: key.jobId, task: i, now: now) { commands.append(command) }
        }
        for id in jobs.keys where !jobs[id]!.record.state.isTerminal {
            // First, so the notice of a checkpoint this heartbeat completed goes out with this answer.
            completeCheckpointIfAcknowledged(id, now: now)
            let job = jobs[id]!
            for t in job.tasks where t.taskManager == tmId && t.isActive {
                // Derived from the registry's last completed checkpoint and the task's report, so a
                // lost notice is given again, and a repeated one changes nothing.
                if let awaiting = t.status?.awaitingCommit, let completed = job.record.lastCompletedCheckpoint?.id,
                   completed >= awaiting, reported.contains(t.key) {
                    commands.append(TaskCommand(kind: .commit, key: t.key, slot: t.slot!, checkpointId: completed))
                }
                if !reported.contains(t.key) {
                    commands.append(TaskCommand(kind: .start, key: t.key, slot: t.slot!, launch: job.launch))
                    logger.info("task assigned", metadata: job.metadata(t.key).merging(["job": "\(job.spec.name)", "id": "\(id)",
                                                            "taskmanager": "\(tmId)", "slot": "\(t.slot!)"]) { a, _ in a })
                } else if let pending = job.checkpoints.pending, t.phase == .running, pending.tasks.contains(t.key),
                          (t.status?.lastCheckpointId ?? -1) < pending.id {
                    let kind: TaskCommand.Kind = t.stopAfterCheckpoint == pending.id ? .checkpointAndStop : .checkpoint
                    let drain = kind == .checkpointAndStop && job.activeSavepoint?.drain == true
                    commands.append(TaskCommand(kind: kind, key: t.key, slot: t.slot!, checkpointId: pending.id, drain: drain ? true : nil))
                }
            }
        }
        return HeartbeatResponse(commands: commands)
    }

    /// One task's report from the taskmanager it is placed on.
    private mutating func take(_ status: TaskStatus, job id: String, task p: Int, now: UInt64) -> TaskCommand? {
        let name = jobs[id]!.spec.name
        jobs[id]!.tasks[p].record(status, now: now)
        let task = jobs[id]!.label(status.key)
        let meta = jobs[id]!.metadata(status.key).merging(["job": "\(name)", "id": "\(id)",
                                                           "taskmanager": "\(jobs[id]!.tasks[p].taskManager ?? "")"]) { a, _ in a }
        switch status.state {
        case .starting:
            return nil
        case .running:
            if jobs[id]!.tasks[p].phase == .deploying {
                jobs[id]!.tasks[p].phase = .running
                logger.info("task started", metadata: meta.merging(["attempt": "\(status.attempt)"]) { a, _ in a })
            }
            return nil
        case .finished:
            if jobs[id]!.tasks[p].phase != .finished {
                jobs[id]!.tasks[p].phase = .finished
                jobs[id]!.tasks[p].recovered()
                logger.info("task finished", metadata: meta)
            }
            return nil
        case .stopped:
            if jobs[id]!.isStopping {
                // Stopped for good: the job ends once every task stopped and the savepoint is copied.
                logger.info("task stopped after checkpoint \(status.lastCheckpointId) for a savepoint", metadata: meta)
                jobs[id]!.tasks[p].phase = .finished
            } else {
                logger.info("task stopped after checkpoint \(status.lastCheckpointId) to move", metadata: meta)
                jobs[id]!.tasks[p].unassign()
            }
            return TaskCommand(kind: .cancel, key: status.key, slot: status.slot)
        case .failed:
            logger.error("task failed", metadata: meta.merging(["error": "\(status.error ?? "?")"]) { a, _ in a })
            jobs[id]!.remember(RestViews.JobException(time: Date(), partition: status.key.partition,
                                                      taskmanager: jobs[id]!.tasks[p].taskManager, attempt: status.attempt,
                                                      message: status.error ?? "task failed"))
            jobs[id]!.tasks[p].unassign()
            jobs[id]!.record.restarts += 1
            if let failed = jobs[id]!.checkpoints.fail("task \(task) failed", now: now) { logCheckpoint(failed, job: id) }
            let delayMs = jobs[id]!.tasks[p].backOff(after: status.error ?? "task failed", settings.restartBackoff, now: now)
            // The budget is per task and failures in a row: tasks failing together on one cause
            // (a full disk) do not spend it for each other, and a recovered job earns it back.
            if jobs[id]!.tasks[p].failuresInARow > settings.maxRestarts {
                end(id, .failed, message: "task \(task) failed \(jobs[id]!.tasks[p].failuresInARow) times in a row; last: \(status.error ?? "?")")
            } else {
                jobs[id]!.record.message = jobs[id]!.restartMessage(now: now)
                logger.info("task restarts after backoff", metadata: meta.merging([
                    "delayMs": "\(delayMs)", "failuresInARow": "\(jobs[id]!.tasks[p].failuresInARow)"]) { a, _ in a })
                persist(id)
            }
            return TaskCommand(kind: .cancel, key: status.key, slot: status.slot)
        }
    }

    mutating func completeCheckpointIfAcknowledged(_ id: String, now: UInt64) {
        guard let job = jobs[id], let pending = job.checkpoints.pending else { return }
        var bytes: Int64 = 0
        for key in pending.tasks {
            guard let i = job.index(of: key) else { continue }
            let t = job.tasks[i]
            if t.phase == .finished { continue }
            guard t.phase == .running, let s = t.status, s.lastCheckpointId >= pending.id else { return }
            bytes += s.lastCheckpointBytes
        }
        guard let done = jobs[id]!.checkpoints.complete(sizeBytes: bytes, now: now) else { return }
        jobs[id]!.record.lastCompletedCheckpoint = .init(id: done.id, completedAt: done.triggeredAt.addingTimeInterval(Double(done.durationMs) / 1000))
        // Every task of the job got this far: whatever failed them before is over.
        for i in jobs[id]!.tasks.indices { jobs[id]!.tasks[i].recovered() }
        persist(id)
        logCheckpoint(done, job: id)
    }

    func logCheckpoint(_ c: CheckpointRecord, job id: String) {
        let meta: Logger.Metadata = ["job": "\(jobs[id]?.spec.name ?? "")", "id": "\(id)", "checkpoint": "\(c.id)",
                                     "durationMs": "\(c.durationMs)", "sizeBytes": "\(c.sizeBytes)"]
        if c.status == .completed {
            logger.info("checkpoint completed", metadata: meta)
        } else {
            logger.warning("checkpoint failed", metadata: meta.merging(["reason": "\(c.reason ?? "")"]) { a, _ in a })
        }
    }
}
