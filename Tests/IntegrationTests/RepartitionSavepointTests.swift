import Foundation
import StreamCore
import TestSupport
import Testing

/// A job that repartitions through a savepoint: `jobmanager run` stopped by SIGTERM copies the
/// checkpoints of both stages' tasks; a run resumed from it in a fresh checkpoint directory
/// finishes with exactly the output of one uninterrupted run.
@Suite(.serialized) struct RepartitionSavepointTests {
    @Test func stoppedWithASavepointAndResumedWritesWhatTheSpecDefines() throws {
        let dir = temporaryDirectory("repartition-savepoint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = try ClusterFixture()
        let input = try RepartitionedOrders(orders: 20_000, fixture: fixture)
        let jobs = "\(dir)/jobs.yaml"
        try RepartitionedOrders.yaml(checkpointInterval: "200ms").write(toFile: jobs, atomically: true, encoding: .utf8)

        let first = try ChildProcess(binary: "jobmanager", arguments: ["run", jobs, "--bootstrap-servers", fixture.cluster.bootstrapServers,
                                                                       "--checkpoint-dir", "\(dir)/checkpoints"], logDir: dir)
        let deadline = Date().addingTimeInterval(60)
        while try fixture.read("bss.analytics.events").count < 100 {
            guard Date() < deadline, first.process.isRunning else { throw TestFailure("no window fired: \(first.logText)") }
            usleep(50_000)
        }
        first.signal(SIGTERM)
        #expect(try first.wait() == 0, "\(first.logText)")
        let line = try #require(first.logText.split(separator: "\n").first { $0.hasPrefix("savepoint order-fraud: ") })
        let savepoint = String(line.dropFirst("savepoint order-fraud: ".count))
        let manifest = try SavepointManifest.read(savepoint)
        let partitions = Int(fixture.partitions)
        #expect(manifest.tasks.map(\.directoryName).sorted()
            == (0..<partitions).flatMap { ["stage-1-task-\($0)", "stage-2-task-\($0)"] }.sorted())

        let resumed = try ChildProcess(binary: "jobmanager", arguments: [
            "run", jobs, "--bootstrap-servers", fixture.cluster.bootstrapServers, "--checkpoint-dir", "\(dir)/resumed",
            "--bounded", "--from-savepoint", savepoint], logDir: dir)
        #expect(try resumed.wait() == 0, "\(resumed.logText)")
        let comparison = try input.compare(with: fixture)
        #expect(comparison.isExact, "\(comparison)")
    }
}
