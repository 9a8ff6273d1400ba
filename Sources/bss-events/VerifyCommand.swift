import ArgumentParser
import BSSTools
import Foundation
import Logging
import StreamCore

/// `bss-events verify`: compares what the jobs wrote with what docs/bss-jobs.md says they must write.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the output topics against the reference model of both jobs (docs/bss-jobs.md): nothing missing, nothing extra, no duplicate.")

    @Option(help: "Kafka bootstrap servers.")
    var bootstrapServers: String

    @Option(help: "Kafka security settings (security.protocol, ssl.*, sasl.*), key=value lines; $STREAM_KAFKA_* variables override them.")
    var kafkaProperties: String?

    func run() throws {
        try KafkaSecuritySettings.installAtStart(file: kafkaProperties, logger: Logger(label: "bss-events"))
        let report = try BSSOutputVerification.verify(kafka: ["bootstrap.servers": bootstrapServers])
        print(report.summary)
        if !report.exact { throw ExitCode(1) }
    }
}
