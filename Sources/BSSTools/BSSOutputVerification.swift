import StreamCore

/// Reads what the BSS jobs' input and output topics hold and compares the output, as a multiset,
/// with what docs/bss-jobs.md says it must be (the reference model over the same input).
public enum BSSOutputVerification {
    public static let outputTopics = ["bss.analytics.events", "bss.fraud.alerts", "bss.customer.events.late",
                                      "bss.order.events.late", "bss.deadletter"]

    public struct Report: Sendable {
        public var expected: [ExpectedRecord] = []
        public var actual: [ExpectedRecord] = []
        /// Expected records not found.
        public var missing: [ExpectedRecord] = []
        /// Found records not expected, or found more often than expected.
        public var extra: [ExpectedRecord] = []
        public var perTopic: [String: Int] = [:]
        public var exact: Bool { missing.isEmpty && extra.isEmpty }

        public var summary: String {
            var lines = ["expected \(expected.count) output records, found \(actual.count): " +
                         (exact ? "exact (nothing missing, nothing extra, no duplicate)"
                                : "\(missing.count) missing, \(extra.count) extra or duplicated")]
            for (topic, n) in perTopic.sorted(by: { $0.key < $1.key }) { lines.append("  \(topic): \(n)") }
            for r in missing.prefix(5) { lines.append("  missing \(r.topic) \(r.value)") }
            for r in extra.prefix(5) { lines.append("  extra   \(r.topic) \(r.value)") }
            return lines.joined(separator: "\n")
        }
    }

    public static func verify(kafka: [String: String]) throws -> Report {
        func inputs(_ topic: String) throws -> [InputRecord] {
            try TopicContents.read(topic: topic, kafka: kafka).map {
                InputRecord(partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value)
            }
        }
        var report = Report()
        report.expected = SpecReference.customerAnalytics(try inputs(BSSEventGenerator.customerTopic))
            + SpecReference.orderFraud(try inputs(BSSEventGenerator.orderTopic))
        for topic in outputTopics {
            let records = try TopicContents.read(topic: topic, kafka: kafka)
            report.perTopic[topic] = records.count
            report.actual += records.map {
                ExpectedRecord(topic: topic, key: String(decoding: $0.key, as: UTF8.self),
                               value: SpecReference.canonical(topic: topic, value: $0.value))
            }
        }
        report.missing = unmatched(report.expected, in: report.actual)
        report.extra = unmatched(report.actual, in: report.expected)
        return report
    }

    /// Multiset difference: the records of `a` left once each record of `b` cancels one equal record.
    static func unmatched(_ a: [ExpectedRecord], in b: [ExpectedRecord]) -> [ExpectedRecord] {
        var remaining: [ExpectedRecord: Int] = [:]
        for r in b { remaining[r, default: 0] += 1 }
        var out: [ExpectedRecord] = []
        for r in a {
            if let n = remaining[r], n > 0 { remaining[r] = n - 1 } else { out.append(r) }
        }
        return out
    }
}
