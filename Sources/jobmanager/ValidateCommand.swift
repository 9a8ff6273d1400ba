import ArgumentParser
import Foundation
import Jobs

/// `jobmanager validate`: checks a definition file as the jobmanager does before running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job definitions and print what each job does, or every error in the file.",
        discussion: "Exit codes: 0 valid, 2 errors (each printed as file:line:column: reason).")

    @Argument(help: "Job definitions (YAML).")
    var file: String

    func run() throws {
        do {
            let jobs = try JobDefinitionLoader.load(path: file)
            print(jobs.map(JobDescription.describe).joined(separator: "\n\n"))
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
