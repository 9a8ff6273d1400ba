import Foundation
import TestSupport
import Testing

/// A local run whose checkpoint disk fills up mid-run (a real tmpfs, filled by another writer)
/// ends with an error naming the directory and the cause, not an abort; started again once the
/// space is freed, it resumes from its checkpoints and its output is exact.
@Suite(.serialized) struct CheckpointDiskFullTests {
    @Test func aFullCheckpointDiskEndsTheRunWithItsCauseAndARunAfterFreeingSpaceIsExact() throws {
        let fixture = try ClusterFixture()
        try fixture.produceGenerated(count: 60_000)
        let dir = temporaryDirectory("disk-full")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = try Tmpfs(sizeMB: 64)
        defer { disk.unmount() }
        let yaml = try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 50ms")
        let jobs = "\(dir)/jobs.yaml"
        try yaml.write(toFile: jobs, atomically: true, encoding: .utf8)

        let run = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                        checkpointDir: disk.path, slots: 1, logDir: dir)
        while run.process.isRunning && !CheckpointDiskFullTests.published(checkpoint: 1, under: disk.path) { usleep(2_000) }
        guard run.process.isRunning else { throw TestFailure("the run ended before the disk was filled: \(run.logText)") }
        try disk.fill()
        let status = try run.wait()
        let log = run.logText
        // Exit code 5, not a signal (an assertion abort or a crash would be one).
        #expect(status == 5, "exit status \(status): \(log.suffix(3000))")
        #expect(log.contains("error: checkpoint storage \(disk.path)/") && log.contains("No space left on device"), "\(log.suffix(3000))")
        #expect(!log.contains("Fatal error") && !log.contains("Assertion"), "\(log.suffix(3000))")

        try disk.free()
        let again = try JobManagerProcess(jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                          checkpointDir: disk.path, slots: 1, logDir: dir)
        let final = try again.wait()
        guard final == 0 else { throw TestFailure("the run after freeing space exited \(final): \(again.logText.suffix(3000))") }
        #expect(again.logText.contains("task restored"), "it resumed from checkpoints, not from scratch")
        let check = try fixture.checkOutput()
        #expect(check.report.expected.count > 1000)
        #expect(check.isExact, "\(check)")
    }

    static func published(checkpoint n: Int, under dir: String) -> Bool {
        let files = FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []
        return files.contains { $0.hasSuffix("/chk-\(n)") }
    }
}
