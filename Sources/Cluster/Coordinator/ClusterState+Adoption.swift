import Foundation
import Logging
import StreamCore

/// A restarted jobmanager's recovered jobs, while their tasks may still run on taskmanagers
/// that have not registered again yet.
struct Adoption: Sendable {
    /// Recovered jobs that do not place tasks yet.
    var waiting: Set<String> = []
    /// Monotonic time they wait until: the loss timeout after recovery. A live taskmanager has
    /// registered again by then, and every lease the previous jobmanager granted has lapsed.
    var until: UInt64 = 0
}

extension ClusterState {
    /// Recovered jobs wait for the taskmanagers still running their tasks to register again.
    mutating func awaitReregistration(of ids: Set<String>, now: UInt64) {
        adoption.waiting = ids
        adoption.until = now + UInt64(settings.lossTimeoutMs) * 1_000_000
    }

    /// Takes over the tasks a registering taskmanager still runs, where the jobmanager may: the
    /// job is known and not ended, the task placed nowhere, and the reported run is the task's
    /// latest attempt (an older one is a zombie a successor replaced). Returns cancels of the rest.
    mutating func adopt(_ reported: [TaskStatus], on tmId: String, now: UInt64) -> [TaskCommand] {
        var cancels: [TaskCommand] = []
        var slotsTaken = Set<String>()
        for status in reported {
            let key = status.key
            let p = jobs[key.jobId]?.index(of: key) ?? -1
            let refusal: String? = {
                guard let job = jobs[key.jobId] else { return "unknown job" }
                guard !job.record.state.isTerminal else { return "job \(job.record.state.rawValue)" }
                guard p >= 0 else { return "unknown task" }
                guard job.tasks[p].phase == .scheduled else { return "placed on \(job.tasks[p].taskManager ?? "?")" }
                guard status.state == .running || status.state == .finished else { return "task \(status.state.rawValue)" }
                guard (0..<taskManagers[tmId]!.slots).contains(status.slot), slotsTaken.insert("\(key.jobId) \(status.slot)").inserted else {
                    return "slot \(status.slot) not available"
                }
                let latest = TaskCheckpointDirectory(root: "\(settings.checkpointDir)/\(key.jobId)", job: job.stages[key.stage].checkpointName,
                                                     partition: key.partition).lastAttempt()
                guard status.attempt == latest else { return "attempt \(status.attempt) replaced by attempt \(latest)" }
                return nil
            }()
            let meta: Logger.Metadata = ["task": "\(key)", "taskmanager": "\(tmId)", "attempt": "\(status.attempt)"]
            if let refusal {
                logger.info("reported task cancelled: \(refusal)", metadata: meta)
                cancels.append(TaskCommand(kind: .cancel, key: key, slot: status.slot))
                continue
            }
            jobs[key.jobId]!.tasks[p].taskManager = tmId
            jobs[key.jobId]!.tasks[p].slot = status.slot
            jobs[key.jobId]!.tasks[p].phase = status.state == .finished ? .finished : .running
            jobs[key.jobId]!.tasks[p].record(status, now: now)
            // The previous jobmanager may have triggered checkpoints it never persisted: ids stay unique.
            let reportedId = max(status.lastCheckpointId, status.awaitingCommit ?? -1)
            if jobs[key.jobId]!.record.nextCheckpointId <= reportedId { jobs[key.jobId]!.record.nextCheckpointId = reportedId + 1 }
            logger.info("task adopted", metadata: meta.merging(["checkpoint": "\(status.lastCheckpointId)"]) { a, _ in a })
        }
        for id in Set(reported.map(\.key.jobId)) where jobs[id].map({ !$0.record.state.isTerminal }) == true {
            if jobs[id]!.record.state == .created, !jobs[id]!.tasks.contains(where: { $0.phase == .scheduled }) {
                adoption.waiting.remove(id)
                jobs[id]!.record.state = .running
                jobs[id]!.record.message = nil
                logger.info("job running: every task adopted", metadata: ["job": "\(jobs[id]!.spec.name)", "id": "\(id)"])
            }
            persist(id)
        }
        return cancels
    }

    /// Whether recovered job `id` still holds back its unadopted tasks: until they are all
    /// adopted or the wait is over, so a taskmanager registering first is not given a task
    /// another one still runs.
    mutating func waitsForReregistration(_ id: String, now: UInt64) -> Bool {
        guard adoption.waiting.contains(id) else { return false }
        let tasks = jobs[id]!.tasks
        let unplaced = tasks.filter { $0.phase == .scheduled }.count
        guard now < adoption.until, unplaced > 0 else {
            adoption.waiting.remove(id)
            return false
        }
        let message = "recovered after a jobmanager restart: waiting up to \(String(format: "%.1f", Double(settings.lossTimeoutMs) / 1000)) s "
            + "for taskmanagers to register again with its tasks (\(tasks.count - unplaced) of \(tasks.count) adopted)"
        if jobs[id]!.record.message != message { jobs[id]!.record.message = message }
        return true
    }
}
