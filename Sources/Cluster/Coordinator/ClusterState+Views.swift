import Foundation
import StreamCore

extension ClusterState {
    func jobList() -> RestViews.JobList {
        RestViews.JobList(jobs: jobs.values.sorted { $0.record.submittedAt < $1.record.submittedAt }.map(\.listed))
    }

    func jobDetail(_ id: String) -> RestViews.JobDetail? {
        guard let job = jobs[id] else { return nil }
        let r = job.record
        return RestViews.JobDetail(id: r.id, name: r.name, state: r.state, bounded: r.bounded, submittedAt: r.submittedAt,
                                   message: r.message, restarts: r.restarts, lastCompletedCheckpoint: r.lastCompletedCheckpoint?.id,
                                   tasks: job.tasks.map { view($0, in: job) })
    }

    private func view(_ t: TaskPlacement, in job: ManagedJob) -> RestViews.Task {
        let s = t.status
        let lag = s.flatMap { $0.endOffset >= 0 ? max(0, $0.endOffset - $0.nextOffset) : nil }
        return RestViews.Task(partition: t.key.partition, topic: job.stage(of: t).source.topic,
                              stage: job.stages.count > 1 ? t.key.stage + 1 : nil, state: t.phase.rawValue, taskmanager: t.taskManager, slot: t.slot,
                              attempt: s?.attempt, offset: s?.nextOffset, endOffset: s.flatMap { $0.endOffset >= 0 ? $0.endOffset : nil },
                              lag: lag, watermark: s.flatMap { $0.watermark == Int64.min ? nil : $0.watermark },
                              recordsIn: s?.recordsIn, recordsOut: s?.recordsOut,
                              recordsInPerSecond: t.inPerSecond, recordsOutPerSecond: t.outPerSecond,
                              badRecords: s?.badRecords, lateRecords: s?.lateRecords, lastCheckpoint: s?.lastCheckpointId,
                              lastCommittedCheckpoint: s.flatMap { $0.lastCommittedCheckpointId >= 0 ? $0.lastCommittedCheckpointId : nil },
                              watermarkLagMs: s.flatMap { ClusterState.watermarkLag($0.watermark) },
                              busyTimeMsPerSecond: t.busyMsPerSecond, idleTimeMsPerSecond: t.idleMsPerSecond,
                              backPressuredTimeMsPerSecond: t.backPressuredMsPerSecond,
                              lastCheckpointDurationMs: s.flatMap { $0.lastCheckpointId >= 0 ? $0.lastCheckpointDurationMs : nil },
                              lastCheckpointBytes: s.flatMap { $0.lastCheckpointId >= 0 ? $0.lastCheckpointBytes : nil },
                              stateRowsInMemory: s?.stateRowsInMemory, stateRowsSpilled: s?.stateRowsSpilled, keysHeld: s?.keysHeld,
                              failure: t.lastFailure, restartInMs: t.restartInMs(now: Lease.now()),
                              kafkaError: t.phase == .running ? s?.kafkaError : nil)
    }

    /// Wall clock minus the watermark (nil before the first record, and at the end of a bounded run).
    static func watermarkLag(_ watermark: Int64) -> Int64? {
        guard watermark != Int64.min, watermark != Int64.max, watermark > 0 else { return nil }
        return max(0, WallClock.nowMs() - watermark)
    }

    func exceptions(_ id: String) -> RestViews.Exceptions? {
        guard let job = jobs[id] else { return nil }
        return RestViews.Exceptions(exceptions: job.exceptions.reversed())
    }

    func plan(_ id: String) -> RestViews.Plan? {
        guard let job = jobs[id] else { return nil }
        let spec = job.spec
        let running = job.tasks.filter { $0.phase == .running }
        // In a job that repartitions, records enter at stage 1's tasks and results leave from
        // stage 2's; a step's counts are under its index in the stage that runs it.
        let lastStage = job.stages.count - 1
        func sum(stage: Int? = nil, _ value: (TaskPlacement) -> Double) -> Double {
            running.reduce(0) { $0 + (stage == nil || $1.key.stage == stage ? value($1) : 0) }
        }
        var nodes: [RestViews.PlanNode] = []
        var edges: [RestViews.PlanEdge] = []
        func add(_ node: RestViews.PlanNode, after previous: String?) {
            nodes.append(node)
            if let previous { edges.append(.init(from: previous, to: node.id)) }
        }
        let reported = job.tasks.compactMap { t in t.status.map { (stage: t.key.stage, status: $0) } }
        func total(stage: Int? = nil, _ value: (TaskStatus) -> Int64) -> Int64 {
            reported.reduce(0) { $0 + (stage == nil || $1.stage == stage ? value($1.status) : 0) }
        }
        func place(_ k: Int) -> (stage: Int, index: Int)? {
            let stage = spec.repartition.map { k > $0.step ? 1 : 0 } ?? 0
            return job.stages[stage].steps.firstIndex { $0.id == spec.steps[k].id }.map { (stage, $0) }
        }
        func filtered(_ k: Int) -> Int64 {
            guard let (stage, i) = place(k) else { return 0 }
            return total(stage: stage) { $0.filteredByStep.map { $0.indices.contains(i) ? $0[i] : 0 } ?? 0 }
        }
        func filteredPerSecond(_ k: Int) -> Double {
            guard let (stage, i) = place(k) else { return 0 }
            return sum(stage: stage) { $0.filteredPerSecond.indices.contains(i) ? $0.filteredPerSecond[i] : 0 }
        }
        // Valid records go through the steps; bad ones go to the dead letters (a step's failures too).
        var flow = sum(stage: 0) { $0.inPerSecond - $0.badPerSecond }
        var flowTotal = total(stage: 0) { $0.recordsIn - $0.badRecords }
        add(.init(id: "source", kind: "source",
                  description: "\(spec.source.topic) (\(spec.source.format.rawValue), \(spec.source.key.map { "key \($0)" } ?? "no key"), watermark "
                      + "\(Self.duration(spec.source.watermark.outOfOrdernessMs)) out of order)",
                  recordsInPerSecond: sum(stage: 0, \.inPerSecond), recordsOutPerSecond: flow, recordsIn: total(stage: 0, \.recordsIn),
                  recordsOut: flowTotal),
            after: nil)
        var last = "source"
        for (k, step) in spec.steps.enumerated() {
            let input = flow, inputTotal = flowTotal
            switch step.operation {
            case .filter(let condition):
                flow = max(0, flow - filteredPerSecond(k))
                flowTotal = max(0, flowTotal - filtered(k))
                add(.init(id: step.id, kind: "filter", description: "filter: \(condition)", recordsInPerSecond: input,
                          recordsOutPerSecond: flow, recordsIn: inputTotal, recordsOut: flowTotal), after: last)
            case .dedup(let dedup):
                flow = max(0, flow - filteredPerSecond(k))
                flowTotal = max(0, flowTotal - filtered(k))
                add(.init(id: step.id, kind: "dedup", description: "dedup: \(dedup.key) within \(Self.duration(dedup.withinMs))",
                          recordsInPerSecond: input, recordsOutPerSecond: flow, recordsIn: inputTotal, recordsOut: flowTotal), after: last)
            case .keyBy(let key):
                let shuffle = spec.repartition?.step == k ? ", through \(spec.repartition!.topic)" : ""
                add(.init(id: step.id, kind: "keyBy", description: "key by \(key)\(shuffle)", recordsInPerSecond: input,
                          recordsOutPerSecond: flow, recordsIn: inputTotal, recordsOut: flowTotal), after: last)
            case .set(let fields):
                add(.init(id: step.id, kind: "set", description: "set: " + fields.map { "\($0.name) = \($0.expression)" }.joined(separator: ", "),
                          recordsInPerSecond: input, recordsOutPerSecond: flow, recordsIn: inputTotal, recordsOut: flowTotal), after: last)
            }
            last = step.id
        }
        let output = sum(stage: lastStage, \.outPerSecond)
        if let window = spec.window {
            let w = window.window
            let shape = switch w.kind {
            case .tumbling: "tumbling \(Self.duration(w.sizeMs))"
            case .sliding: "sliding \(Self.duration(w.sizeMs)) every \(Self.duration(w.slideMs))"
            case .session: "session, gap \(Self.duration(w.gapMs))"
            }
            let aggregates = window.aggregations.map(\.name).joined(separator: ", ")
            let rules = window.rules.map { "; rules: " + $0.rules.map(\.name).joined(separator: ", ") } ?? ""
            add(.init(id: window.id, kind: "window", description: "window \(shape) per \(spec.groupKey): \(aggregates)\(rules)",
                      recordsInPerSecond: flow, recordsOutPerSecond: output, recordsIn: flowTotal, recordsOut: total(stage: lastStage, \.recordsOut)),
                after: last)
            last = window.id
            if let rules = window.rules {
                add(.init(id: "sink-alerts", kind: "sink", description: "alerts -> \(rules.topic)"), after: last)
            }
        }
        for (i, sink) in spec.sinks.enumerated() {
            let when = sink.when.map { " when \($0)" } ?? ""
            add(.init(id: "sink-\(i)", kind: "sink", description: "\(sink.topic) (\(sink.format.rawValue)\(sink.type.isEmpty ? "" : ", type \(sink.type)"))\(when)"),
                after: last)
        }
        if let late = spec.lateTopic { add(.init(id: "late", kind: "late", description: "late records -> \(late)"), after: last) }
        add(.init(id: "dead-letters", kind: "deadLetter", description: "bad records -> \(spec.deadLetterTopic)",
                  recordsInPerSecond: sum(\.badPerSecond), recordsIn: total(\.badRecords)), after: "source")
        return RestViews.Plan(id: job.id, name: spec.name, parallelism: job.tasks.count, nodes: nodes, edges: edges,
                              definition: job.record.yaml)
    }

    /// 300000 -> "5m", 1500 -> "1.5s".
    static func duration(_ ms: Int64) -> String {
        if ms % 3_600_000 == 0 && ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    func taskManagerDetail(_ tmId: String, now: UInt64) -> RestViews.TaskManagerDetail? {
        guard let tm = taskManagers[tmId] else { return nil }
        var placed: [RestViews.PlacedTask] = []
        for job in jobs.values.sorted(by: { $0.record.submittedAt < $1.record.submittedAt }) where !job.record.state.isTerminal {
            for t in job.tasks where t.taskManager == tmId && t.isActive {
                placed.append(.init(jobId: job.id, job: job.spec.name, partition: t.key.partition, slot: t.slot,
                                    state: t.phase.rawValue, attempt: t.status?.attempt))
            }
        }
        return RestViews.TaskManagerDetail(id: tm.id, host: tm.host, slots: tm.slots, freeSlots: tm.slots - busySlots(of: tm.id).count,
                                           registeredAt: tm.registeredAt, lastHeartbeat: tm.lastHeartbeatDate,
                                           millisSinceHeartbeat: Int64((now - min(now, tm.lastHeartbeat)) / 1_000_000),
                                           memoryBytes: tm.memoryBytes, tasks: placed)
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

    /// The summary `GET /jobs` lists: with uptime, restarts and rates.
    var listed: RestViews.JobSummary {
        let running = tasks.filter { $0.phase == .running }
        return RestViews.JobSummary(id: record.id, name: record.name, state: record.state, submittedAt: record.submittedAt,
                                    restarts: record.restarts,
                                    recordsInPerSecond: running.reduce(0) { $0 + $1.inPerSecond },
                                    recordsOutPerSecond: running.reduce(0) { $0 + $1.outPerSecond })
    }
}
