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
