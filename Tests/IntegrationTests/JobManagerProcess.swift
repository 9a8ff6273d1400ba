import Foundation

/// A real `jobmanager run` process, started from the built binary.
final class JobManagerProcess {
    static var binary: String {
        ProcessInfo.processInfo.environment["JOBMANAGER_BIN"] ?? "\(packageRoot)/.build/debug/jobmanager"
    }

    let process = Process()
    let log: String

    /// Starts `jobmanager run <jobsFile> --bounded ...`; `crashAt` arms a SIGKILL at a named step.
    convenience init(jobsFile: String, bootstrapServers: String, checkpointDir: String, slots: Int = 2, crashAt: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: checkpointDir, withIntermediateDirectories: true)
        try self.init(arguments: ["run", jobsFile, "--bootstrap-servers", bootstrapServers, "--bounded",
                                  "--slots", String(slots), "--checkpoint-dir", checkpointDir],
                      logDirectory: checkpointDir, crashAt: crashAt)
    }

    init(arguments: [String], logDirectory: String, crashAt: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: JobManagerProcess.binary) else {
            throw TestFailure("\(JobManagerProcess.binary) is missing: run `swift build` before the tests")
        }
        process.executableURL = URL(fileURLWithPath: JobManagerProcess.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["STREAM_CRASH_AT"] = crashAt
        process.environment = env
        log = "\(logDirectory)/jobmanager-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// kill -9.
    func kill9() { kill(process.processIdentifier, SIGKILL) }

    /// Waits for the process to end; returns its exit status, or the signal that ended it as a negative number.
    func wait(timeoutSeconds: Double = 120) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning {
            if Date() > deadline {
                kill9()
                throw TestFailure("jobmanager did not finish within \(timeoutSeconds) s; log: \(logText)")
            }
            usleep(20_000)
        }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
