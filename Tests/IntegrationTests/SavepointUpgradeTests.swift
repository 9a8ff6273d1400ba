import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// `jobmanager run` stopped by SIGTERM takes a savepoint; a changed definition resumes from it
/// (`--from-savepoint`), exactly: output before the switch is the old definition's, after it the
/// new one's, with the state carried over and nothing lost or written twice. Incompatible changes
/// and state no step claims are refused before anything runs.
@Suite(.serialized) struct SavepointUpgradeTests {
    /// `UpgradeScenario`'s definitions with `replacing` replaced, as a file in `dir`.
    func definitions(_ dir: String, replacing: String? = nil, with: String = "") throws -> String {
        let path = "\(dir)/jobs-\(UUID().uuidString).yaml"
        try UpgradeScenario.definitions(replacing: replacing, with: with).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func jobmanager(_ arguments: [String], dir: String) throws -> ChildProcess {
        try ChildProcess(binary: "jobmanager", arguments: ["run"] + arguments + ["--job", "order-fraud"], logDir: dir)
    }

    /// Runs the old definition unbounded over `beforeSwitch` until C9's windows are out, stops it
    /// with SIGTERM; returns the savepoint location it printed.
    func stopWithSavepoint(_ fixture: ClusterFixture, jobs: String, checkpoints: String, dir: String) throws -> String {
        try fixture.produce("bss.order.events", UpgradeScenario.beforeSwitch)
        let run = try jobmanager([jobs, "--bootstrap-servers", fixture.cluster.bootstrapServers, "--checkpoint-dir", checkpoints], dir: dir)
        let deadline = Date().addingTimeInterval(60)
        while try fixture.read("bss.fraud.alerts").isEmpty || fixture.read("bss.analytics.events").count < 10 {
            guard Date() < deadline, run.process.isRunning else { throw TestFailure("C9's windows never fired: \(run.logText)") }
            usleep(50_000)
        }
        run.signal(SIGTERM)
        let status = try run.wait()
        guard status == 0 else { throw TestFailure("stopped run exited \(status): \(run.logText)") }
        guard let line = run.logText.split(separator: "\n").first(where: { $0.hasPrefix("savepoint order-fraud: ") }) else {
            throw TestFailure("no savepoint location printed: \(run.logText)")
        }
        return String(line.dropFirst("savepoint order-fraud: ".count))
    }

    /// The definition as shipped, run over `beforeSwitch` and stopped: its file, its checkpoint
    /// directory and the savepoint it took.
    func oldRunStopped(in dir: String) throws -> (fixture: ClusterFixture, old: String, checkpoints: String, savepoint: String) {
        let fixture = try ClusterFixture(partitions: 1)
        let old = try definitions(dir)
        let checkpoints = "\(dir)/checkpoints"
        return (fixture, old, checkpoints, try stopWithSavepoint(fixture, jobs: old, checkpoints: checkpoints, dir: dir))
    }

    @Test func changedThresholdResumesFromTheSavepointExactly() throws {
        let dir = temporaryDirectory("savepoint-upgrade")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (fixture, old, checkpoints, savepoint) = try oldRunStopped(in: dir)
        let new = try definitions(dir, replacing: UpgradeScenario.thresholdFive, with: UpgradeScenario.thresholdThree)
        #expect(savepoint == "\(checkpoints)/savepoints/order-fraud/sp-1")
        #expect(FileManager.default.fileExists(atPath: "\(savepoint)/manifest.json"))

        try fixture.produce("bss.order.events", UpgradeScenario.afterSwitch)
        // A fresh checkpoint directory: all the resumed run knows of the old one is the savepoint.
        let resumed = try jobmanager([new, "--bootstrap-servers", fixture.cluster.bootstrapServers, "--checkpoint-dir", "\(dir)/resumed",
                                      "--bounded", "--from-savepoint", savepoint], dir: dir)
        let status = try resumed.wait()
        #expect(status == 0, "\(resumed.logText)")
        #expect(resumed.logText.contains("restoring from savepoint"))

        let expected = try UpgradeScenario.expectedOutput(old: String(contentsOfFile: old, encoding: .utf8),
                                                          new: String(contentsOfFile: new, encoding: .utf8))
        #expect(try fixture.values("bss.analytics.events").sorted() == expected.windows)
        #expect(try fixture.values("bss.fraud.alerts").sorted() == expected.alerts)
    }

    @Test func changedWindowSizeIsRefusedNamingTheStep() throws {
        let dir = temporaryDirectory("savepoint-incompatible")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (fixture, _, checkpoints, savepoint) = try oldRunStopped(in: dir)
        let changed = try definitions(dir, replacing: "window: { kind: sliding, size: 10m, slide: 1m",
                                      with: "window: { kind: sliding, size: 20m, slide: 1m")
        let before = try FileManager.default.contentsOfDirectory(atPath: "\(checkpoints)/order-fraud/task-0").sorted()
        let refused = try jobmanager([changed, "--bootstrap-servers", fixture.cluster.bootstrapServers, "--checkpoint-dir", checkpoints,
                                      "--bounded", "--from-savepoint", savepoint], dir: dir)
        #expect(try refused.wait() == 6)
        #expect(refused.logText.contains("step window-0 cannot restore its state: window size 600000 ms -> 1200000 ms"), "\(refused.logText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(checkpoints)/order-fraud/task-0").sorted() == before)
    }

    @Test func stateNoStepClaimsIsRefusedUnlessAllowedThenDropped() throws {
        let dir = temporaryDirectory("savepoint-non-restored")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (fixture, _, _, savepoint) = try oldRunStopped(in: dir)
        let renamed = try definitions(dir, replacing: "- window: { kind: sliding, size: 10m, slide: 1m",
                                      with: "- id: velocity\n        window: { kind: sliding, size: 10m, slide: 1m")
        let arguments = [renamed, "--bootstrap-servers", fixture.cluster.bootstrapServers, "--checkpoint-dir", "\(dir)/resumed",
                         "--bounded", "--from-savepoint", savepoint]
        let refused = try jobmanager(arguments, dir: dir)
        #expect(try refused.wait() == 6)
        #expect(refused.logText.contains("state of step(s) window-0 that the new definition does not have"), "\(refused.logText)")

        let allowed = try jobmanager(arguments + ["--allow-non-restored-state"], dir: dir)
        #expect(try allowed.wait() == 0, "\(allowed.logText)")
        #expect(allowed.logText.contains("savepoint state dropped: no step claims it"))
        #expect(allowed.logText.contains("window-0"))
        // C7's open windows lived in the dropped state: a kept state would fire them at the bounded
        // run's end; the renamed step starts empty and the restored offsets do not read C7's order again.
        let windows = try fixture.values("bss.analytics.events")
        #expect(windows.count == 10)
        #expect(!windows.contains { $0.contains("\"subject\":\"C7\"") })
    }
}
