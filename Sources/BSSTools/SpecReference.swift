/// One input record of a bounded run, as read from Kafka.
public struct InputRecord: Sendable {
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]
    public var value: [UInt8]

    public init(partition: Int32, offset: Int64, key: [UInt8], value: [UInt8]) {
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
    }
}

/// One output record; `value` is in the form `SpecReference.canonical` gives.
public struct ExpectedRecord: Sendable, Hashable {
    public var topic: String
    public var key: String
    public var value: String

    public init(topic: String, key: String, value: String) {
        self.topic = topic
        self.key = key
        self.value = value
    }
}

/// An independent, deliberately simple implementation of docs/bss-jobs.md §1–§7 for the two
/// shipped jobs with their default thresholds: the exact output of a bounded run.
public enum SpecReference {
    /// customer-analytics over `bss.customer.events`: window results (`bss.analytics.events`),
    /// late records (`bss.customer.events.late`) and dead letters (`bss.deadletter`).
    public static func customerAnalytics(_ input: [InputRecord]) -> [ExpectedRecord] {
        RefCustomerAnalytics.run(input)
    }

    /// order-fraud over `bss.order.events`: window results, alerts (`bss.fraud.alerts`),
    /// late records (`bss.order.events.late`) and dead letters.
    public static func orderFraud(_ input: [InputRecord]) -> [ExpectedRecord] {
        RefOrderFraud.run(input)
    }

    /// Comparable form of a record value on `topic`:
    /// - late topics (`*.late`): the bytes exactly, since late records go unchanged;
    /// - other topics: JSON re-serialised with sorted keys, integral numbers without
    ///   a fraction and non-ASCII escaped; on `bss.deadletter` the `error` member,
    ///   whose wording is implementation-defined, becomes `"<error>"`.
    /// A value that is not valid UTF-8 or JSON gets a marked form that matches no expectation.
    public static func canonical(topic: String, value: [UInt8]) -> String {
        if topic.hasSuffix(".late") {
            return String(validating: value, as: UTF8.self) ?? "<not UTF-8> " + hex(value)
        }
        guard var json = try? RefJSONParser.parse(value) else {
            return "<not JSON> " + hex(value)
        }
        if topic == RefDeadLetter.topic, case .object(var members) = json, members["error"] != nil {
            members["error"] = .string(RefDeadLetter.errorPlaceholder)
            json = .object(members)
        }
        return RefJSONWriter.canonical(json)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16) }.joined(separator: " ")
    }
}
