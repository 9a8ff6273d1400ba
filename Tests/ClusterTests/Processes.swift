import Foundation
import TestSupport

/// `jobmanager serve` on a free loopback port.
final class JobManagerServer: ChildProcess, @unchecked Sendable {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// `options`: more `serve` options; the log goes to `logDir` (default: the checkpoint directory).
    init(port: Int, checkpointDir: String, bootstrapServers: String?, token: String = ClusterRun.token,
         options: [String] = [], logDir: String? = nil) throws {
        self.port = port
        var arguments = ["serve", "--port", String(port), "--checkpoint-dir", checkpointDir, "--token", token] + options
        if let bootstrapServers { arguments += ["--bootstrap-servers", bootstrapServers] }
        try super.init(binary: "jobmanager", arguments: arguments, logDir: logDir ?? checkpointDir)
    }
}

/// `taskmanager` registering with a jobmanager.
final class TaskManagerProcess: ChildProcess, @unchecked Sendable {
    init(jobManager: String, slots: Int = 4, name: String, logDir: String) throws {
        try super.init(binary: "taskmanager", arguments: ["--jobmanager", jobManager, "--slots", String(slots),
                                                          "--token", ClusterRun.token, "--name", name], logDir: logDir)
    }
}

/// A loopback port nobody listens on (the kernel picks it; a race with another process is unlikely).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            _ = bind(fd, pointer, length)
            _ = getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls `condition` until it holds; fails with `what` after a generous deadline (never a timed
/// assertion), and with what `detail` then says of the state it waited on.
func poll(_ what: String, timeoutSeconds: Double = 120, every intervalMs: Int = 100,
          detail: () async -> String = { "" }, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while try await !condition() {
        if Date() > deadline {
            let state = await detail()
            throw TestFailure("timed out waiting for: \(what)" + (state.isEmpty ? "" : "\n\(state)"))
        }
        try await Task.sleep(for: .milliseconds(intervalMs))
    }
}
