import ArgumentParser
import Logging
import StreamCore

/// The Kafka options of `run` and `serve`: where the cluster is and how this process reaches it.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, HOST:PORT[,...]. Default: an embedded cluster.")
    var bootstrapServers: String?

    @Option(help: "Kafka security settings (security.protocol, ssl.*, sasl.*), key=value lines; $STREAM_KAFKA_* variables override them.")
    var kafkaProperties: String?

    /// Installs the security settings for every Kafka client of this process; a refused file or
    /// variable ends the command with exit code 2, naming where the mistake is.
    func installSecurity(logger: Logger) throws {
        do {
            try KafkaSecuritySettings.installAtStart(file: kafkaProperties, logger: logger)
        } catch {
            throw exitFailure(2, error)
        }
    }
}
