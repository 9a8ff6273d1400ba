import ArgumentParser
import AsyncHTTPClient
import Cluster
import Foundation
import Logging
import StreamCore

/// `taskmanager`: offers slots to a jobmanager and runs the tasks it places on them.
@main
struct TaskManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskmanager",
        abstract: "Run stream tasks for a jobmanager: register, heartbeat, execute.",
        discussion: """
            Each slot is one thread. Output is produced only under a lease the jobmanager renews with \
            every acknowledged heartbeat; a taskmanager that cannot renew it stops producing before \
            the jobmanager declares it lost and restarts its tasks elsewhere.
            """)

    @Option(help: "The jobmanager's REST address (https://... for HTTPS).")
    var jobmanager = "http://127.0.0.1:8081"

    @Option(help: "PEM file of the CA that signed the jobmanager's certificate (default: the system's CAs).")
    var tlsCa: String?

    @Option(help: "Kafka security settings (security.protocol, ssl.*, sasl.*), key=value lines; $STREAM_KAFKA_* variables override them.")
    var kafkaProperties: String?

    @Option(help: "Worker threads; each runs at most one task of each job.")
    var slots = 4

    @Option(help: "Bearer token of the jobmanager (default: $STREAM_TOKEN).")
    var token: String?

    @Option(help: "Name shown by the jobmanager (default: host name and process id).")
    var name: String?

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "taskmanager")
        do {
            try KafkaSecuritySettings.installAtStart(file: kafkaProperties, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let tlsCa, !FileManager.default.isReadableFile(atPath: tlsCa) {
            FileHandle.standardError.write(Data("error: \(tlsCa): cannot read the CA file of --tls-ca\n".utf8))
            throw ExitCode(2)
        }
        let executor = TaskExecutor(slots: slots, logger: logger)
        let link = JobManagerLink(base: jobmanager.hasSuffix("/") ? String(jobmanager.dropLast()) : jobmanager,
                                  token: token ?? ProcessInfo.processInfo.environment["STREAM_TOKEN"], caFile: tlsCa, logger: logger)
        let name = name ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
        let stopping = StopFlag()
        let signals = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopping.set() }
            source.resume()
            return source
        }
        defer { withExtendedLifetime(signals) {} }
        let connection = JobManagerConnection(logger: logger)
        await HeartbeatLoop(link: link, connection: connection, executor: executor, name: name, logger: logger).run(until: stopping)
        executor.stop()
        await connection.goodbye()
        try await link.shutdown()
    }
}
