import Foundation

/// A registered taskmanager and its slots.
struct RegisteredTaskManager: Sendable {
    let id: String
    let host: String
    let slots: Int
    var lastHeartbeat: UInt64
    var lastHeartbeatDate: Date
    var registeredAt = Date()
    /// Resident memory, as its last heartbeat reported it.
    var memoryBytes: Int64?
    /// The secret its link must present: only this taskmanager learned it, at registration.
    let linkKey = UUID().uuidString
}

/// A slot of a taskmanager. As in Flink's slot sharing, a slot runs at most one task of each
/// stage of each job (one partition's pipeline), so a job needs as many slots as its largest
/// stage has partitions.
struct SlotRef: Hashable, Sendable {
    let taskManager: String
    let index: Int
}

/// Places tasks: each job's tasks spread evenly over taskmanagers first, then over the least
/// loaded slots; a job that cannot place all its tasks waits (gang scheduling, like Flink).
enum SlotAssigner {
    /// Places the scheduled tasks of `job` whose restart backoff has passed on free slots;
    /// returns how many of those could not be placed.
    static func place(_ job: inout ManagedJob, jobs: [String: ManagedJob], taskManagers: [RegisteredTaskManager], now: UInt64) -> Int {
        var slotLoad: [SlotRef: Int] = [:]
        var managerLoad: [String: Int] = [:]
        for other in jobs.values where other.id != job.id {
            for t in other.tasks where t.isActive {
                if let tm = t.taskManager, let s = t.slot {
                    slotLoad[SlotRef(taskManager: tm, index: s), default: 0] += 1
                    managerLoad[tm, default: 0] += 1
                }
            }
        }
        // The job's slots in use, per stage.
        var taken = Set<[Int]>()
        var tmIndex: [String: Int] = [:]
        for (i, tm) in taskManagers.enumerated() { tmIndex[tm.id] = i }
        func key(_ slot: SlotRef, stage: Int) -> [Int] { [tmIndex[slot.taskManager] ?? -1, slot.index, stage] }
        var jobPerManager: [String: Int] = [:]
        for t in job.tasks where t.isActive {
            if let tm = t.taskManager, let s = t.slot {
                taken.insert(key(SlotRef(taskManager: tm, index: s), stage: t.key.stage))
                jobPerManager[tm, default: 0] += 1
            }
        }
        var unplaced = 0
        for i in job.tasks.indices where job.tasks[i].isPlaceable(now: now) {
            let stage = job.tasks[i].key.stage
            let free = taskManagers.flatMap { tm in (0..<tm.slots).map { SlotRef(taskManager: tm.id, index: $0) } }
                .filter { !taken.contains(key($0, stage: stage)) }
            guard let best = free.min(by: { a, b in
                let ka = [jobPerManager[a.taskManager, default: 0], slotLoad[a, default: 0], managerLoad[a.taskManager, default: 0]]
                let kb = [jobPerManager[b.taskManager, default: 0], slotLoad[b, default: 0], managerLoad[b.taskManager, default: 0]]
                if ka != kb { return ka.lexicographicallyPrecedes(kb) }
                return (a.taskManager, a.index) < (b.taskManager, b.index)
            }) else {
                unplaced += 1
                continue
            }
            job.tasks[i].taskManager = best.taskManager
            job.tasks[i].slot = best.index
            job.tasks[i].phase = .deploying
            taken.insert(key(best, stage: stage))
            jobPerManager[best.taskManager, default: 0] += 1
            slotLoad[best, default: 0] += 1
            managerLoad[best.taskManager, default: 0] += 1
        }
        return unplaced
    }

    /// Tasks to move so the job's tasks spread evenly over taskmanagers with room for them
    /// (one joined later): from the most to the least loaded while they differ by two or more.
    static func moves(_ job: ManagedJob, taskManagers: [RegisteredTaskManager]) -> [Int] {
        var count: [String: Int] = [:]
        for tm in taskManagers { count[tm.id] = 0 }
        for t in job.tasks where t.isActive { if let tm = t.taskManager { count[tm, default: 0] += 1 } }
        let capacity = Dictionary(uniqueKeysWithValues: taskManagers.map { ($0.id, $0.slots * job.stages.count) })
        var moves: [Int] = []
        while true {
            let candidates = count.filter { capacity[$0.key] != nil }
            guard let most = candidates.max(by: { $0.value < $1.value }),
                  let least = candidates.filter({ $0.value < capacity[$0.key]! }).min(by: { $0.value < $1.value }),
                  most.value - least.value >= 2,
                  let i = job.tasks.indices.first(where: { job.tasks[$0].taskManager == most.key && job.tasks[$0].phase == .running && !moves.contains($0) })
            else { return moves }
            moves.append(i)
            count[most.key]! -= 1
            count[least.key]! += 1
        }
    }
}
