import Foundation

/// A process started from one of the package's built binaries, its output in a log file.
open class ChildProcess: @unchecked Sendable {
    public static func binary(_ name: String) -> String {
        ProcessInfo.processInfo.environment["\(name.uppercased())_BIN"] ?? "\(packageRoot)/.build/debug/\(name)"
    }

    public let name: String
    public let process = Process()
    public let log: String

    public init(binary name: String, arguments: [String], environment: [String: String?] = [:], logDir: String) throws {
        self.name = name
        let binary = ChildProcess.binary(name)
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("\(binary) is missing: run `swift build` before the tests")
        }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        log = "\(logDir)/\(name)-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// kill -9.
    public func kill9() { kill(process.processIdentifier, SIGKILL) }
    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the process to end; returns its exit status, or the signal that ended it as a negative number.
    @discardableResult
    public func wait(timeoutSeconds: Double = 120) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning {
            if Date() > deadline {
                kill9()
                throw TestFailure("\(name) did not finish within \(timeoutSeconds) s; log: \(logText)")
            }
            usleep(20_000)
        }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    public var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
