import Cluster
import Foundation
import TestSupport
import Testing

/// Faults of the machine under a jobmanager and two taskmanagers (real processes): the shared
/// checkpoint disk fills up, or the Kafka cluster becomes unreachable, mid-run. The jobs say why
/// in `GET /jobs/{id}`, retry with backoff, and once the fault is gone finish with exact output.
@Suite(.serialized) struct MachineFaultTests {
    /// Short delays, so the doubling is seen within seconds.
    static let backoff = ["--restart-delay-ms", "200", "--max-restart-delay-ms", "3200"]

    func expectExact(_ run: ClusterRun) throws {
        let check = try run.fixture.checkOutput()
        #expect(check.report.expected.count > 1000)
        #expect(check.isExact, "\(check)\n--- jobmanager log:\n\(run.jobManager.logText.suffix(6000))")
    }

    @Test func aFullCheckpointDiskFailsTasksWithTheCauseTheyRetryWithBackoffAndFinishExactOnceFreed() async throws {
        let disk = try Tmpfs(sizeMB: 64)
        defer { disk.unmount() }
        let run = try await ClusterRun(eventsPerTopic: FailoverTests.eventsPerTopicPastACheckpoint, checkpointDir: disk.path,
                                       jobManagerOptions: MachineFaultTests.backoff)
        defer { run.stop() }
        let jobs = try await run.submitBounded()
        // The disk fills while a job still runs; a job that already finished (on a loaded machine one
        // may finish before the other took its first checkpoint) has its output checked all the same.
        var states: [String] = []
        do {
            try await poll("a checkpoint completed in every job, one still running", every: 20) {
                let details = try await run.details(jobs)
                states = details.map { "\($0.id): \($0.state), checkpoint \($0.lastCompletedCheckpoint.map { "\($0)" } ?? "none")" }
                return details.allSatisfy { $0.lastCompletedCheckpoint != nil } && details.contains { $0.state == .running }
            }
        } catch {
            throw TestFailure("\(error); last seen: \(states.joined(separator: "; "))")
        }
        let filling = disk.keepFull()

        var seen: RestViews.JobDetail?
        try await poll("a job saying its checkpoint disk is full, with a task waiting to restart", every: 50) {
            seen = try await run.details(jobs).first { job in
                (job.message ?? "").contains("No space left on device") && job.tasks.contains { ($0.restartInMs ?? 0) > 0 }
            }
            return seen != nil
        }
        let job = try #require(seen)
        #expect(job.message?.contains("checkpoint storage \(disk.path)/") == true, "\(job.message ?? "")")
        let task = try #require(job.tasks.first { $0.restartInMs != nil })
        #expect(task.state == "SCHEDULED" && task.failure?.contains("No space left on device") == true, "\(task)")
        let exceptions = try await run.rest.fetch("/jobs/\(job.id)/exceptions", as: RestViews.Exceptions.self).exceptions
        #expect(exceptions.contains { $0.message.contains("checkpoint storage") && $0.message.contains("No space left on device") })

        // Let a few restarts fail, then free the space.
        do {
            try await poll("a task failed 4 times in a row", timeoutSeconds: 60) {
                MachineFaultTests.restartDelays(in: run.jobManager.logText).values.contains { $0.count >= 4 }
            }
        } catch {
            let lines = run.jobManager.logText.split(separator: "\n").filter { $0.contains("task") }.suffix(30)
            throw TestFailure("\(error); jobmanager's task lines:\n\(lines.joined(separator: "\n"))")
        }
        filling.cancel()
        await filling.value
        try disk.free()
        try await run.waitUntilFinished(jobs)

        // Each task's waits double from the first delay while the disk stays full, capped at the most.
        for (task, delays) in MachineFaultTests.restartDelays(in: run.jobManager.logText) {
            let expected = (0..<delays.count).map { min(3200, 200 << $0) }
            #expect(delays == expected, "task \(task) waited \(delays)")
        }
        let finished = try await run.details(jobs)
        #expect(finished.allSatisfy { $0.message == nil && $0.tasks.allSatisfy { $0.failure == nil } }, "\(finished.map(\.message))")
        try expectExact(run)
    }

    @Test func unreachableBrokersStallTheJobsWhichSayWhyAndFinishExact() async throws {
        let run = try await ClusterRun(eventsPerTopic: FailoverTests.eventsPerTopic, jobManagerOptions: MachineFaultTests.backoff)
        defer { run.stop() }
        let jobs = try await run.submitBounded()
        try await poll("tasks busy", every: 20) {
            try await run.details(jobs).contains { $0.tasks.contains { $0.state == "RUNNING" && ($0.recordsIn ?? 0) > 0 } }
        }
        try run.fixture.cluster.setBrokersDown()
        var reason = ""
        try await poll("a job saying its brokers are unreachable", every: 50) {
            for job in try await run.details(jobs) {
                if let said = job.tasks.compactMap(\.kafkaError).first ?? job.tasks.compactMap(\.failure).first(where: { $0.contains("unreachable") }) {
                    reason = said
                    return true
                }
            }
            return false
        }
        #expect(reason.contains("Kafka broker unreachable"), "\(reason)")
        let lagged = try await run.details(jobs).flatMap(\.tasks).filter { $0.state != "FINISHED" }
        #expect(lagged.contains { ($0.lag ?? 0) > 0 }, "the records lag is shown while it lasts: \(lagged.map(\.lag))")
        try await Task.sleep(for: .seconds(3))
        try run.fixture.cluster.setBrokersUp()
        try await run.waitUntilFinished(jobs)
        try expectExact(run)
    }

    /// Per task ("job partition"), the restart delays the jobmanager logged, in order, since the
    /// job's last completed checkpoint reset them (a delay smaller than the one before starts anew).
    static func restartDelays(in log: String) -> [String: [Int]] {
        var delays: [String: [Int]] = [:]
        for line in log.split(separator: "\n") where line.contains("task restarts after backoff") {
            func field(_ name: String) -> String? {
                guard let r = line.range(of: " \(name)=") else { return nil }
                return String(line[r.upperBound...].prefix { $0 != " " })
            }
            guard let delay = field("delayMs").flatMap({ Int($0) }), let id = field("id"), let p = field("partition") else { continue }
            let key = "\(id) \(p)"
            if let last = delays[key]?.last, delay < last { delays[key] = [] }
            delays[key, default: []].append(delay)
        }
        return delays
    }
}
