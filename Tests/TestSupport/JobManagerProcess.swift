import Foundation

/// A real `jobmanager run` process, started from the built binary.
public final class JobManagerProcess: ChildProcess, @unchecked Sendable {
    /// Starts `jobmanager run <jobsFile> --bounded ...`; `crashAt` arms a SIGKILL at a named step.
    /// The log goes to `logDir` (default: the checkpoint directory).
    public init(jobsFile: String, bootstrapServers: String, checkpointDir: String, slots: Int = 2, crashAt: String? = nil,
                logDir: String? = nil) throws {
        try super.init(binary: "jobmanager",
                       arguments: ["run", jobsFile, "--bootstrap-servers", bootstrapServers, "--bounded",
                                   "--slots", String(slots), "--checkpoint-dir", checkpointDir],
                       environment: ["STREAM_CRASH_AT": crashAt], logDir: logDir ?? checkpointDir)
    }
}

extension JobManagerProcess {
    /// Runs `jobsFile` killed by SIGKILL at each of `crashes` in turn, each run a new process
    /// restarting from the checkpoints the last one left, then once more to its end. Throws when a
    /// run meant to crash ended otherwise (it would prove nothing) or the last did not exit 0.
    public static func runThroughCrashes(_ crashes: [String], jobsFile: String, bootstrapServers: String,
                                         checkpointDir: String) throws {
        for crash in crashes {
            let run = try JobManagerProcess(jobsFile: jobsFile, bootstrapServers: bootstrapServers,
                                            checkpointDir: checkpointDir, crashAt: crash)
            let status = try run.wait()
            guard status == -SIGKILL else { throw TestFailure("run with a crash at \(crash) ended with \(status): \(run.logText)") }
        }
        let last = try JobManagerProcess(jobsFile: jobsFile, bootstrapServers: bootstrapServers, checkpointDir: checkpointDir)
        let status = try last.wait()
        guard status == 0 else { throw TestFailure("final run exited \(status): \(last.logText)") }
    }
}
