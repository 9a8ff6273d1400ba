import Cluster
import Foundation
import Logging
import StreamCore

/// Registers (with the tasks it still runs, after the jobmanager forgot it), then heartbeats on
/// the jobmanager's interval: reports tasks, applies the commands in each answer, renews the
/// lease with each acknowledgement. While a task starts,
/// it heartbeats every 50 ms, so its RUNNING reaches the jobmanager without waiting an interval.
struct HeartbeatLoop {
    let link: JobManagerLink
    let connection: JobManagerConnection
    let executor: TaskExecutor
    let name: String
    let logger: Logger

    func run(until stopping: StopFlag) async {
        var registration: RegistrationResponse?
        while !stopping.isSet {
            guard let current = registration else {
                registration = await register()
                if registration == nil { try? await Task.sleep(for: .seconds(1)) }
                continue
            }
            if let port = current.linkPort, let key = current.linkKey {
                await connection.ensure(host: URL(string: link.base)?.host ?? "127.0.0.1", port: port, tmId: current.taskManagerId, key: key)
            }
            let sentAt = Lease.now()
            var starting = false
            do {
                let report = executor.heartbeat()
                // An answer later than the lease is worthless: the lease would already have lapsed.
                let response = try await link.heartbeat(current.taskManagerId, report, timeoutMs: current.leaseMs)
                executor.lease.renew(sentAt: sentAt, durationMs: current.leaseMs)
                executor.apply(response.commands)
                starting = report.tasks.contains { $0.state == .starting } || response.commands.contains { $0.kind == .start }
            } catch JobManagerLink.Failure.unknownTaskManager {
                // Its tasks stay: the registration reports them, the jobmanager adopts those it
                // may keep and cancels the others. No acknowledged heartbeat since renewed the
                // lease, so none of them produces until the registration is answered.
                logger.warning("the jobmanager no longer knows this taskmanager: registering again with its tasks",
                               metadata: ["taskmanager": "\(current.taskManagerId)", "tasks": "\(executor.heartbeat().tasks.count)"])
                registration = nil
                continue
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
            let elapsedMs = Int((Lease.now() - sentAt) / 1_000_000)
            await connection.wakeup.sleep(ms: (starting ? 50 : current.heartbeatIntervalMs) - elapsedMs)
        }
    }

    private func register() async -> RegistrationResponse? {
        do {
            let running = executor.heartbeat().tasks
            let sentAt = Lease.now()
            let response = try await link.register(RegistrationRequest(host: name, slots: executor.slotCount,
                                                                       tasks: running.isEmpty ? nil : running))
            executor.registered(response, sentAt: sentAt)
            let cancelled = response.commands?.filter { $0.kind == .cancel }.count ?? 0
            logger.info("registered", metadata: ["taskmanager": "\(response.taskManagerId)", "jobmanager": "\(link.base)",
                                                 "kafka": "\(response.bootstrapServers)", "leaseMs": "\(response.leaseMs)",
                                                 "tasksKept": "\(running.count - cancelled)", "tasksCancelled": "\(cancelled)"])
            return response
        } catch {
            logger.warning("cannot register", metadata: ["jobmanager": "\(link.base)", "error": "\(error)"])
            return nil
        }
    }
}
