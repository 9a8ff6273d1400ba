import ArgumentParser

@main
struct BSSEventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bss-events",
        abstract: "Generate BSS events into Kafka, verify job output against docs/bss-jobs.md, or run the demo.",
        subcommands: [GenerateCommand.self, VerifyCommand.self, DemoCommand.self, NexmarkCommand.self])
}
