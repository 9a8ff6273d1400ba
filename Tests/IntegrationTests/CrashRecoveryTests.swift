import BSSTools
import Foundation
import TestSupport
import Testing

/// A bounded run of both jobs over generated data (several partitions, late and bad records,
/// fraud bursts), killed with SIGKILL at a given step of its checkpoint protocol or at a random
/// moment, then restarted from its checkpoints: the output topics must hold exactly docs/bss-jobs.md's
/// records, nothing missing, nothing extra, none twice.
@Suite(.serialized) struct CrashRecoveryTests {
    static let eventsPerTopic = 20_000

    /// jobs.yaml with a short checkpoint interval, so a run takes many checkpoints.
    func jobsFile(in dir: String) throws -> String {
        let yaml = try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 50ms")
        let path = "\(dir)/jobs.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs to completion through the given crashes; returns how many runs were killed.
    func runWithCrashes(_ crashes: [Crash], eventsPerTopic: Int = CrashRecoveryTests.eventsPerTopic, slots: Int = 2) throws -> ClusterFixture {
        let fixture = try ClusterFixture()
        try fixture.produceGenerated(count: eventsPerTopic)
        let dir = temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobs = try jobsFile(in: dir)
        let checkpoints = "\(dir)/checkpoints"
        for crash in crashes {
            let run: JobManagerProcess
            switch crash {
            case .at(let point):
                run = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                            checkpointDir: checkpoints, slots: slots, crashAt: point)
            case .once(let condition):
                run = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                            checkpointDir: checkpoints, slots: slots)
                while run.process.isRunning && !condition.holds(in: checkpoints) { usleep(2_000) }
                run.kill9()
            }
            let status = try run.wait()
            // A run that finished before its crash would prove nothing.
            guard status == -SIGKILL else {
                throw TestFailure("run with \(crash) ended with status \(status) instead of being killed: \(run.logText)")
            }
        }
        let last = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                         checkpointDir: checkpoints, slots: slots)
        let status = try last.wait()
        guard status == 0 else { throw TestFailure("final run exited \(status): \(last.logText)") }
        return fixture
    }

    enum Crash: CustomStringConvertible {
        /// SIGKILL from inside the process at a named step (STREAM_CRASH_AT).
        case at(String)
        /// kill -9 from outside as soon as the run shows some progress.
        case once(Progress)
        var description: String {
            switch self {
            case .at(let point): "crash at \(point)"
            case .once(let p): "kill -9 once \(p)"
            }
        }
    }

    /// Progress visible in the checkpoint directory.
    enum Progress: CustomStringConvertible {
        /// Some task published its n-th periodic checkpoint.
        case checkpoint(Int)
        /// Some task of a restarted run is recovering (its attempt number reached n).
        case attempt(Int)

        func holds(in dir: String) -> Bool {
            guard let files = FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] else { return false }
            switch self {
            case .checkpoint(let n):
                return files.contains { $0.hasSuffix("/chk-\(n)") }
            case .attempt(let n):
                return files.contains { $0.hasSuffix("/work-\(n)") }
            }
        }

        var description: String {
            switch self {
            case .checkpoint(let n): "a task published checkpoint \(n)"
            case .attempt(let n): "attempt \(n) started recovering"
            }
        }
    }

    func expectExactOutput(_ fixture: ClusterFixture) throws {
        let check = try fixture.checkOutput()
        let expected = check.report.expected
        #expect(expected.count > 1000)
        #expect(expected.contains { $0.topic == "bss.fraud.alerts" })
        #expect(expected.contains { $0.topic == "bss.deadletter" })
        #expect(expected.contains { $0.topic.hasSuffix(".late") })
        #expect(check.isExact, "\(check)")
    }

    @Test func uninterruptedRunWritesExactlyTheSpecifiedRecords() throws {
        try expectExactOutput(try runWithCrashes([]))
    }

    // Each of the 8 tasks checkpoints at start and at its end, so hit 16 of a checkpoint step is
    // reached however fast the run is: a periodic checkpoint, or a task finishing while others run.
    @Test(arguments: [
        "checkpoint-start:16",          // records produced since the last checkpoint unacknowledged
        "checkpoint-flushed:16",        // output acknowledged, state not written
        "checkpoint-state-written:16",  // state written, checkpoint not published
        "checkpoint-published:16",      // checkpoint complete, nothing after it yet
        "output-produced:6",            // between checkpoints, output in flight
    ])
    func killedAtACheckpointStepAndRestartedWritesExactlyTheSpecifiedRecords(point: String) throws {
        try expectExactOutput(try runWithCrashes([.at(point)]))
    }

    @Test func killedMidRunAndAgainDuringRecoveryWritesExactlyTheSpecifiedRecords() throws {
        // Input large enough (and one slot) that the run lasts seconds past its first periodic checkpoint.
        try expectExactOutput(try runWithCrashes([.once(.checkpoint(1)), .once(.attempt(2))], eventsPerTopic: 60_000, slots: 1))
    }
}
