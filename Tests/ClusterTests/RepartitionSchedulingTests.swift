import Cluster
import Foundation
import Logging
import TestSupport
import Testing

/// The jobmanager's side of a job that repartitions, with simulated taskmanagers: its tasks of
/// both stages share slots as in Flink (a slot runs one task of each stage), and a stop with drain
/// is refused (its stage-2 tasks would fire their windows before reading what stage 1 wrote last).
@Suite struct RepartitionSchedulingTests {
    func jobManager(in dir: String, partitions: Int32) -> JobManager {
        var settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092")
        // Never declared lost: other suites' blocking work can starve this test's heartbeats for seconds.
        settings.lossTimeoutMs = 3_600_000
        return JobManager(settings: settings, logger: Logger(label: "test")) { specs in
            Dictionary(uniqueKeysWithValues: specs.flatMap(\.topics).map { ($0, partitions) })
        }
    }

    @Test func bothStagesTasksShareSlotsOneOfEachStagePerSlot() async throws {
        let dir = temporaryDirectory("repartition-slots")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobManager = jobManager(in: dir, partitions: 4)
        let job = try jobManager.submit(yaml: try RepartitionedOrders.yaml(checkpointInterval: "1s"), bounded: false)[0].id
        _ = jobManager.register(RegistrationRequest(host: "simulated", slots: 4))
        jobManager.startTicking(everyMs: 10)
        defer { jobManager.stop() }
        try await poll("8 tasks placed on 4 slots") {
            jobManager.jobDetail(job)?.tasks.allSatisfy { $0.slot != nil } == true
        }
        let tasks = try #require(jobManager.jobDetail(job)).tasks
        #expect(tasks.count == 8)
        for stage in [1, 2] {
            #expect(Set(tasks.filter { $0.stage == stage }.compactMap(\.slot)) == [0, 1, 2, 3], "stage \(stage): \(tasks.map(\.slot))")
        }
    }

    @Test func aStopWithDrainIsRefusedNamingTheRepartitionTopic() throws {
        let dir = temporaryDirectory("repartition-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobManager = jobManager(in: dir, partitions: 2)
        let job = try jobManager.submit(yaml: try RepartitionedOrders.yaml(checkpointInterval: "1s"), bounded: false)[0].id
        #expect(try #require(jobManager.jobDetail(job)).tasks.count == 4)
        #expect {
            try jobManager.requestSavepoint(job, kind: .stop, drain: true)
        } throws: { error in
            guard case SavepointRequestError.conflict(let why) = error else { return false }
            return why.hasPrefix("job order-fraud repartitions through order-fraud.by-customer.repartition: a stop with drain")
                && why.contains("stop it without drain")
        }
    }
}
