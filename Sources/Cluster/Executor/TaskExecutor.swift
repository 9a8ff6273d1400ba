import Foundation
import Logging
import StreamCore
import Synchronization

/// The taskmanager's side: its slots, the tasks the jobmanager placed on them, and the lease
/// under which they may produce.
public final class TaskExecutor: Sendable {
    public let lease: Lease
    private let slots: [Slot]
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var registration: RegistrationResponse?
        /// Tasks handed to a slot, until cancelled.
        var placed: [TaskKey: (slot: Int, id: TaskId)] = [:]
    }

    public init(slots: Int, logger: Logger) {
        let lease = Lease()
        self.lease = lease
        self.slots = (0..<slots).map { Slot(index: $0, mode: .managed(lease)) }
        self.logger = logger
        for slot in self.slots { slot.start() }
    }

    public var slotCount: Int { slots.count }

    /// Takes a registration answer to a request sent at `sentAt`: first cancels the reported
    /// tasks the jobmanager did not adopt, then renews the lease, so a task cancelled here never
    /// produces under it (the slots read their lease before their commands).
    public func registered(_ registration: RegistrationResponse, sentAt: UInt64) {
        state.withLock { $0.registration = registration }
        apply(registration.commands ?? [])
        lease.renew(sentAt: sentAt, durationMs: registration.leaseMs)
    }

    /// This taskmanager's tasks as they are now.
    public func heartbeat() -> HeartbeatRequest {
        state.withLock { s in
            var reports: [TaskId: Slot.TaskReport] = [:]
            for slot in slots { for r in slot.reports { reports[r.id] = r } }
            var tasks: [TaskStatus] = []
            for (key, where_) in s.placed {
                guard let report = reports[where_.id] else { continue }
                tasks.append(TaskStatus(key: key, slot: where_.slot, report: report))
            }
            return HeartbeatRequest(tasks: tasks, memoryBytes: TaskExecutor.residentBytes())
        }
    }

    /// Resident set size of this process (Linux: /proc/self/statm), nil where unknown.
    static func residentBytes() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    public func apply(_ commands: [TaskCommand]) {
        for command in commands { apply(command) }
    }

    private func apply(_ command: TaskCommand) {
        state.withLock { s in
            switch command.kind {
            case .start:
                guard let launch = command.launch, let registration = s.registration, slots.indices.contains(command.slot) else { return }
                guard launch.spec.stages.indices.contains(command.key.stage) else { return }
                let spec = launch.spec.stages[command.key.stage]
                let id = command.key.taskId(jobName: spec.name, topic: spec.source.topic)
                var config = TaskConfiguration(kafka: ["bootstrap.servers": registration.bootstrapServers], checkpointRoot: "\(registration.checkpointDir)/\(command.key.jobId)",
                                               bounded: launch.bounded)
                // A record not delivered within the lease is dropped by librdkafka, not sent late by
                // a resumed zombie (docs/exactly-once.md, "Failover and zombies").
                config.producerKafka["message.timeout.ms"] = String(registration.leaseMs)
                config.lease = lease
                config.commitOnCompletionNotice = true
                s.placed[command.key] = (command.slot, id)
                slots[command.slot].submit(.start(Slot.Assignment(id: id, spec: spec, config: config, sinkPartitions: launch.partitions)))
                logger.info("task starting", metadata: ["task": "\(id)", "slot": "\(command.slot)"])
            case .checkpoint, .checkpointAndStop:
                guard let placed = s.placed[command.key], let checkpointId = command.checkpointId else { return }
                slots[placed.slot].submit(command.kind == .checkpoint ? .checkpoint(placed.id, id: checkpointId)
                                                                        : .checkpointAndStop(placed.id, id: checkpointId,
                                                                                             drain: command.drain ?? false))
            case .commit:
                guard let placed = s.placed[command.key], let checkpointId = command.checkpointId else { return }
                slots[placed.slot].submit(.commit(placed.id, completed: checkpointId))
            case .cancel:
                guard let placed = s.placed.removeValue(forKey: command.key) else { return }
                slots[placed.slot].submit(.cancel(placed.id))
            }
        }
    }

    public func stop() {
        for slot in slots { slot.stop() }
        for slot in slots { slot.wait() }
    }
}
