import ArgumentParser
import BSSTools
import Foundation
import StreamCore

/// `bss-events verify`: compares what the jobs wrote with what SPEC.md says they must write.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the output topics against SPEC.md's reference model of both jobs: nothing missing, nothing extra, no duplicate.")

    @Option(help: "Kafka bootstrap servers.")
    var bootstrapServers: String

    func run() throws {
        let report = try BSSOutputVerification.verify(kafka: ["bootstrap.servers": bootstrapServers])
        print(report.summary)
        if !report.exact { throw ExitCode(1) }
    }
}
