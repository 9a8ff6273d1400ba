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
        let report = try OutputVerification.verify(bootstrapServers: bootstrapServers)
        print(report.summary)
        if !report.exact { throw ExitCode(1) }
    }
}

/// Reads inputs and outputs back from Kafka and compares them as multisets.
enum OutputVerification {
    static let outputTopics = ["bss.analytics.events", "bss.fraud.alerts", "bss.customer.events.late",
                               "bss.order.events.late", "bss.deadletter"]

    struct Report {
        var expected = 0
        var actual = 0
        var missing: [ExpectedRecord] = []
        var extra: [ExpectedRecord] = []
        var perTopic: [String: Int] = [:]
        var exact: Bool { missing.isEmpty && extra.isEmpty }
        var summary: String {
            var lines = ["expected \(expected) output records, found \(actual): " +
                         (exact ? "exact (nothing missing, nothing extra, no duplicate)" : "\(missing.count) missing, \(extra.count) extra or duplicated")]
            for (topic, n) in perTopic.sorted(by: { $0.key < $1.key }) { lines.append("  \(topic): \(n)") }
            for r in missing.prefix(5) { lines.append("  missing \(r.topic) \(r.value)") }
            for r in extra.prefix(5) { lines.append("  extra   \(r.topic) \(r.value)") }
            return lines.joined(separator: "\n")
        }
    }

    static func verify(bootstrapServers: String) throws -> Report {
        let kafka = ["bootstrap.servers": bootstrapServers]
        func inputs(_ topic: String) throws -> [InputRecord] {
            try TopicContents.read(topic: topic, kafka: kafka).map {
                InputRecord(partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value)
            }
        }
        let expected = SpecReference.customerAnalytics(try inputs(EventProduction.customerTopic))
            + SpecReference.orderFraud(try inputs(EventProduction.orderTopic))
        var actual: [ExpectedRecord] = []
        var report = Report()
        for topic in outputTopics {
            let records = try TopicContents.read(topic: topic, kafka: kafka)
            report.perTopic[topic] = records.count
            actual += records.map {
                ExpectedRecord(topic: topic, key: String(decoding: $0.key, as: UTF8.self),
                               value: SpecReference.canonical(topic: topic, value: $0.value))
            }
        }
        report.expected = expected.count
        report.actual = actual.count
        var remaining: [ExpectedRecord: Int] = [:]
        for r in expected { remaining[r, default: 0] += 1 }
        for r in actual {
            if let n = remaining[r], n > 0 { remaining[r] = n - 1 } else { report.extra.append(r) }
        }
        report.missing = remaining.flatMap { r, n in Array(repeating: r, count: n) }
        return report
    }
}
