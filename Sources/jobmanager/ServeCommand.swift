import ArgumentParser
import Cluster
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import Metrics
import Prometheus
import StreamCore

/// `jobmanager serve`: the coordinator of taskmanager processes, with its REST API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Coordinate taskmanagers: accept jobs over HTTP, assign their tasks, checkpoint, fail over.",
        discussion: """
            Without --bootstrap-servers an embedded Kafka-protocol cluster (3 brokers, in memory) is \
            started in this process; submitted jobs' topics are created in it and taskmanagers learn \
            its address when they register. Jobs and their checkpoints are kept under --checkpoint-dir, \
            which every taskmanager must reach at the same path; a restarted jobmanager resumes them.
            """)

    @Option(help: "HTTP port.")
    var port = 8081

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port of the taskmanagers' links, announced at registration (0: any free port).")
    var linkPort = 0

    @OptionGroup var kafkaOptions: KafkaOptions

    @Option(help: "Shared checkpoint directory (also holds the job registry).")
    var checkpointDir = ".local/checkpoints"

    @Option(help: "Bearer token required by POST requests (default: $STREAM_TOKEN; none: open).")
    var token: String?

    @Option(help: "PEM certificate (chain) to serve HTTPS with; needs --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Bearer token for reads only (default: $STREAM_READ_TOKEN); with it, reads of the API need a token too.")
    var readToken: String?

    @Option(help: "Partitions of each topic created in the embedded cluster.")
    var partitions: Int32 = 4

    @Option(help: "Milliseconds without heartbeat after which a taskmanager is lost.")
    var lossTimeoutMs = 3_000

    @Option(help: "Milliseconds a taskmanager may produce after its last acknowledged heartbeat (< loss timeout).")
    var leaseMs = 1_500

    @Option(help: "Failures in a row of one task its job survives before it is FAILED (a completed checkpoint resets the count).")
    var maxRestarts = 10

    @Option(help: "Milliseconds a failed task waits before it starts again, doubling with each failure in a row.")
    var restartDelayMs = 1_000

    @Option(help: "The longest wait before a failed task starts again, in milliseconds.")
    var maxRestartDelayMs = 60_000

    /// The certificate and key to serve HTTPS with, when given.
    private var tls: (cert: String, key: String)? {
        guard let tlsCert, let tlsKey else { return nil }
        return (tlsCert, tlsKey)
    }

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard leaseMs < lossTimeoutMs else { throw ValidationError("--lease-ms must be shorter than --loss-timeout-ms") }
        guard maxRestarts >= 0, restartDelayMs >= 0, maxRestartDelayMs >= restartDelayMs else {
            throw ValidationError("--max-restarts and --restart-delay-ms must be >= 0, --max-restart-delay-ms >= --restart-delay-ms")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "jobmanager")
        try kafkaOptions.installSecurity(logger: logger)
        try RunPreflight.checkpointDirectoryWritable(checkpointDir)

        let kafka = try KafkaHost(bootstrapServers: kafkaOptions.bootstrapServers, partitions: partitions)
        if kafkaOptions.bootstrapServers == nil { print("embedded Kafka cluster (3 brokers, in memory) at \(kafka.bootstrapServers)") }
        var settings = ClusterSettings(checkpointDir: checkpointDir, bootstrapServers: kafka.bootstrapServers)
        settings.lossTimeoutMs = lossTimeoutMs
        settings.leaseMs = leaseMs
        settings.maxRestarts = maxRestarts
        settings.restartBackoff = RestartBackoff(initialMs: restartDelayMs, maxMs: maxRestartDelayMs)
        let links = TaskManagerLinks(logger: logger)
        settings.linkPort = try await links.bind(host: host, port: linkPort)
        let jobManager = JobManager(settings: settings, logger: logger, prepareTopics: kafka.prepareTopics)
        links.serve(jobManager)
        try jobManager.recover()
        jobManager.startTicking()

        let token = token ?? ProcessInfo.processInfo.environment["STREAM_TOKEN"]
        let readToken = readToken ?? ProcessInfo.processInfo.environment["STREAM_READ_TOKEN"]
        guard readToken == nil || token != nil else {
            throw exitFailure(2, "a read token needs an admin token (--token or $STREAM_TOKEN) beside it")
        }
        let console = ConsoleFiles()
        if console.directory == nil { logger.warning("console files not found: GET / and /openapi.json answer 404") }
        let router = RestAPI.router(jobManager: jobManager, token: token, readToken: readToken, registry: registry, console: console,
                                    logger: logger)
        let address = ApplicationConfiguration(address: .hostname(host, port: port))
        let app: Application<RouterResponder<BasicRequestContext>>
        do {
            app = if let tls {
                Application(router: router, server: try .tls(tlsConfiguration: try TLSFiles.serverConfiguration(certificate: tls.cert, key: tls.key)),
                            configuration: address, logger: logger)
            } else {
                Application(router: router, configuration: address, logger: logger)
            }
        } catch {
            throw exitFailure(2, error)
        }
        logger.info("jobmanager serving", metadata: ["address": "\(tls == nil ? "http" : "https")://\(host):\(port)", "linkPort": "\(settings.linkPort ?? 0)", "checkpoints": "\(checkpointDir)",
                                                     "token": "\(token == nil ? "none" : readToken == nil ? "required for POST" : "required for every request")"])
        try await app.runService()
        jobManager.stop()
        withExtendedLifetime(kafka) {}
    }
}
