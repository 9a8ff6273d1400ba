import Foundation
import StreamCore

extension ClusterState {
    func jobList() -> RestViews.JobList {
        RestViews.JobList(jobs: jobs.values.sorted { $0.record.submittedAt < $1.record.submittedAt }.map(\.summary))
    }

    func jobDetail(_ id: String) -> RestViews.JobDetail? {
        guard let job = jobs[id] else { return nil }
        let r = job.record
        return RestViews.JobDetail(id: r.id, name: r.name, state: r.state, bounded: r.bounded, submittedAt: r.submittedAt,
                                   message: r.message, restarts: r.restarts, lastCompletedCheckpoint: r.lastCompletedCheckpoint?.id,
                                   tasks: job.tasks.map { view($0, topic: job.spec.source.topic) })
    }

    private func view(_ t: TaskPlacement, topic: String) -> RestViews.Task {
        let s = t.status
        let lag = s.flatMap { $0.endOffset >= 0 ? max(0, $0.endOffset - $0.nextOffset) : nil }
        return RestViews.Task(partition: t.key.partition, topic: topic, state: t.phase.rawValue, taskmanager: t.taskManager, slot: t.slot,
                              attempt: s?.attempt, offset: s?.nextOffset, endOffset: s.flatMap { $0.endOffset >= 0 ? $0.endOffset : nil },
                              lag: lag, watermark: s.flatMap { $0.watermark == Int64.min ? nil : $0.watermark },
                              recordsIn: s?.recordsIn, recordsOut: s?.recordsOut,
                              recordsInPerSecond: t.inPerSecond, recordsOutPerSecond: t.outPerSecond,
                              badRecords: s?.badRecords, lateRecords: s?.lateRecords, lastCheckpoint: s?.lastCheckpointId,
                              lastCommittedCheckpoint: s.flatMap { $0.lastCommittedCheckpointId >= 0 ? $0.lastCommittedCheckpointId : nil })
    }

    func checkpoints(_ id: String) -> RestViews.Checkpoints? {
        guard let job = jobs[id] else { return nil }
        let c = job.checkpoints
        let inProgress = c.pending.map {
            CheckpointRecord(id: $0.id, status: .inProgress, triggeredAt: $0.triggeredDate,
                             durationMs: Int64((Lease.now() - $0.triggeredAt) / 1_000_000), sizeBytes: 0, reason: nil)
        }
        return RestViews.Checkpoints(completed: c.completed, failed: c.failed, inProgress: inProgress,
                                     latestCompleted: job.record.lastCompletedCheckpoint?.id, history: c.history)
    }

    func taskManagerList(now: UInt64) -> RestViews.TaskManagerList {
        RestViews.TaskManagerList(taskmanagers: liveTaskManagers.map { tm in
            let used = busySlots(of: tm.id)
            let tasks = jobs.values.filter { !$0.record.state.isTerminal }.reduce(0) { n, job in
                n + job.tasks.filter { $0.taskManager == tm.id && $0.isActive }.count
            }
            return RestViews.TaskManager(id: tm.id, host: tm.host, slots: tm.slots, freeSlots: tm.slots - used.count, tasks: tasks,
                                         lastHeartbeat: tm.lastHeartbeatDate,
                                         millisSinceHeartbeat: Int64((now - min(now, tm.lastHeartbeat)) / 1_000_000))
        })
    }

    func overview() -> RestViews.Overview {
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for job in jobs.values { counts[job.record.state.rawValue, default: 0] += 1 }
        let total = liveTaskManagers.reduce(0) { $0 + $1.slots }
        let used = liveTaskManagers.reduce(0) { $0 + busySlots(of: $1.id).count }
        return RestViews.Overview(taskmanagers: taskManagers.count, slotsTotal: total, slotsAvailable: total - used, jobs: counts,
                                  bootstrapServers: settings.bootstrapServers, checkpointDir: settings.checkpointDir)
    }

    /// Slot indexes of `tmId` running at least one task.
    private func busySlots(of tmId: String) -> Set<Int> {
        var used = Set<Int>()
        for job in jobs.values where !job.record.state.isTerminal {
            for t in job.tasks where t.taskManager == tmId && t.isActive { if let s = t.slot { used.insert(s) } }
        }
        return used
    }
}

extension ManagedJob {
    var summary: RestViews.JobSummary { RestViews.JobSummary(id: record.id, name: record.name, state: record.state) }
}
