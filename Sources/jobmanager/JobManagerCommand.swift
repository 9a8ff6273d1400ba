import ArgumentParser

@main
struct JobManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmanager",
        abstract: "Runs stream jobs defined in YAML.",
        subcommands: [RunCommand.self, ReplayCommand.self, ValidateCommand.self, ServeCommand.self, EmbeddedKafkaCommand.self])
}
