import Foundation
import Logging
import StreamCore

extension ClusterState {
    /// The jobmanager's clock: declares silent taskmanagers lost, places waiting tasks, ends
    /// finished jobs, triggers and times out checkpoints.
    mutating func tick(now: UInt64) {
        for tm in liveTaskManagers where now > tm.lastHeartbeat + UInt64(settings.lossTimeoutMs) * 1_000_000 {
            lose(tm.id, because: "no heartbeat for \(settings.lossTimeoutMs) ms", now: now)
        }
        for id in jobs.keys.sorted() where !jobs[id]!.record.state.isTerminal {
            advanceSavepoint(id, now: now)
            // Tasks a stop stopped are finished too; the job ends once its savepoint is written.
            if jobs[id]!.activeSavepoint == nil, jobs[id]!.tasks.allSatisfy({ $0.phase == .finished }) {
                end(id, .finished, message: nil)
                continue
            }
            if waitsForReregistration(id, now: now) { continue }
            placeTasks(id, now: now)
            if jobs[id]!.checkpoints.isTimedOut(now: now), let failed = jobs[id]!.checkpoints.fail("timed out", now: now) {
                logCheckpoint(failed, job: id)
            }
            triggerCheckpointIfDue(id, now: now)
        }
    }

    /// Unassigns the taskmanager's tasks; the next placement restarts them from their last checkpoint.
    mutating func lose(_ tmId: String, because reason: String, now: UInt64) {
        guard taskManagers[tmId] != nil else { return }
        let host = taskManagers[tmId]?.host ?? "?"
        taskManagers[tmId] = nil
        var moved = 0
        for id in jobs.keys where !jobs[id]!.record.state.isTerminal {
            var lostHere = false
            for i in jobs[id]!.tasks.indices where jobs[id]!.tasks[i].taskManager == tmId && jobs[id]!.tasks[i].isActive {
                let t = jobs[id]!.tasks[i]
                jobs[id]!.remember(RestViews.JobException(time: Date(), partition: t.key.partition, taskmanager: tmId,
                                                          attempt: t.status?.attempt,
                                                          message: "taskmanager \(tmId) (\(host)) lost: \(reason)"))
                jobs[id]!.tasks[i].unassign()
                lostHere = true
                moved += 1
            }
            if lostHere, let failed = jobs[id]!.checkpoints.fail("taskmanager \(tmId) lost", now: now) {
                logCheckpoint(failed, job: id)
            }
        }
        logger.warning("taskmanager lost: \(reason); its tasks restart from their last checkpoint",
                       metadata: ["taskmanager": "\(tmId)", "tasks": "\(moved)"])
    }

    private mutating func placeTasks(_ id: String, now: UInt64) {
        let slots = liveTaskManagers.reduce(0) { $0 + $1.slots }
        if jobs[id]!.record.state == .created {
            // All or nothing: a job starts once each of its tasks has a slot (one slot holds a task
            // of each stage).
            let needed = jobs[id]!.slotsNeeded
            guard needed <= slots else {
                let message = "waiting for slots: needs \(needed), \(slots) registered"
                if jobs[id]!.record.message != message {
                    jobs[id]!.record.message = message
                    logger.warning("job waiting for slots", metadata: ["job": "\(jobs[id]!.spec.name)", "needed": "\(needed)", "slots": "\(slots)"])
                }
                return
            }
            jobs[id]!.record.state = .running
            jobs[id]!.record.message = nil
            persist(id)
            logger.info("job running", metadata: ["job": "\(jobs[id]!.spec.name)", "id": "\(id)"])
        }
        guard jobs[id]!.tasks.contains(where: { $0.phase == .scheduled }) else { return }
        var job = jobs[id]!
        let unplaced = SlotAssigner.place(&job, jobs: jobs, taskManagers: liveTaskManagers, now: now)
        job.record.message = unplaced > 0 ? "\(unplaced) task(s) waiting for a free slot" : job.restartMessage(now: now)
        jobs[id] = job
    }

    private mutating func triggerCheckpointIfDue(_ id: String, now: UInt64) {
        let job = jobs[id]!
        // A savepoint triggers its own checkpoint, and no other may follow before it is copied.
        guard job.record.state == .running, job.activeSavepoint == nil, job.checkpoints.isDue(now: now),
              job.tasks.allSatisfy({ $0.phase == .running || $0.phase == .finished }) else { return }
        let checkpointId = job.record.nextCheckpointId
        jobs[id]!.record.nextCheckpointId += 1
        jobs[id]!.checkpoints.trigger(id: checkpointId, tasks: Set(job.tasks.filter(\.isActive).map(\.key)), now: now)
        // A taskmanager that joined since: some tasks move to it, resuming from this checkpoint.
        for i in SlotAssigner.moves(job, taskManagers: liveTaskManagers) {
            jobs[id]!.tasks[i].stopAfterCheckpoint = checkpointId
            logger.info("task moves after checkpoint \(checkpointId) to rebalance",
                        metadata: job.metadata(job.tasks[i].key).merging(["job": "\(job.spec.name)",
                                                                                   "from": "\(job.tasks[i].taskManager ?? "")"]) { a, _ in a })
        }
    }
}
