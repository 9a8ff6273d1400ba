import Cluster
import Foundation
import Logging
import StreamCore

/// Registers, then heartbeats on the jobmanager's interval: reports tasks, applies the
/// commands in each answer, renews the lease with each acknowledgement. While a task starts,
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
                logger.warning("the jobmanager no longer knows this taskmanager: dropping tasks, registering again",
                               metadata: ["taskmanager": "\(current.taskManagerId)"])
                executor.dropAll()
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
            let response = try await link.register(RegistrationRequest(host: name, slots: executor.slotCount))
            executor.registered(response)
            logger.info("registered", metadata: ["taskmanager": "\(response.taskManagerId)", "jobmanager": "\(link.base)",
                                                 "kafka": "\(response.bootstrapServers)", "leaseMs": "\(response.leaseMs)"])
            return response
        } catch {
            logger.warning("cannot register", metadata: ["jobmanager": "\(link.base)", "error": "\(error)"])
            return nil
        }
    }
}
