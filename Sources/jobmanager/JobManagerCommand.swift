import ArgumentParser

@main
struct JobManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmanager",
        abstract: "Runs stream jobs defined in YAML.",
        subcommands: [RunCommand.self, EmbeddedKafkaCommand.self])
}
