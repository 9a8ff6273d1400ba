import ArgumentParser
import BSSTools
import Foundation

/// `bss-events nexmark`: the Nexmark benchmark's people, auctions and bids as NDJSON.
struct NexmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexmark",
        abstract: "Write Nexmark events (person, auction, bid) as JSON lines, the same for a seed.")

    @Option(help: "Events to write.")
    var events: Int64 = 1_000_000

    @Option(help: "Random seed: the same seed writes the same events.")
    var seed: UInt64 = 42

    @Option(help: "Events per second of event time.")
    var eventsPerSecond: Int64 = 10_000

    @Option(help: "The NDJSON file to write.")
    var out: String

    func validate() throws {
        guard events >= 0, eventsPerSecond > 0 else { throw ValidationError("--events must be >= 0 and --events-per-second > 0") }
    }

    func run() throws {
        guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
            throw ValidationError("cannot write \(out)")
        }
        defer { try? file.close() }
        let generator = NexmarkGenerator(seed: seed, eventsPerSecond: eventsPerSecond)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        for event in 0..<events {
            buffer += generator.line(event).utf8
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
        print("wrote \(events) Nexmark events to \(out)")
    }
}
