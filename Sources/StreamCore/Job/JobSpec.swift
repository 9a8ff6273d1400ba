/// A windowed-aggregation job: what a data engineer describes in YAML.
///
/// StreamCore runs any job of this shape; it knows nothing of the jobs built from it.
public struct JobSpec: Sendable, Equatable {
    public var name: String
    public var source: SourceSpec
    /// Path of the grouping key inside the event, e.g. `data.customerId`.
    public var keyField: FieldPath
    /// Path of the event time (RFC 3339 string), e.g. `time`.
    public var timeField: FieldPath
    /// Fields validated on every record; a record failing them is a bad record.
    public var fields: [FieldSpec]
    public var watermark: WatermarkSpec
    public var window: WindowSpec
    public var aggregations: [AggregationSpec]
    public var output: OutputSpec
    public var rules: RulesSpec?
    public var lateTopic: String
    public var deadLetterTopic: String
    public var delivery: DeliveryGuarantee
    /// Milliseconds between checkpoints.
    public var checkpointIntervalMs: Int64

    public init(name: String, source: SourceSpec, keyField: FieldPath, timeField: FieldPath,
                fields: [FieldSpec], watermark: WatermarkSpec, window: WindowSpec,
                aggregations: [AggregationSpec], output: OutputSpec, rules: RulesSpec?,
                lateTopic: String, deadLetterTopic: String, delivery: DeliveryGuarantee,
                checkpointIntervalMs: Int64) {
        self.name = name
        self.source = source
        self.keyField = keyField
        self.timeField = timeField
        self.fields = fields
        self.watermark = watermark
        self.window = window
        self.aggregations = aggregations
        self.output = output
        self.rules = rules
        self.lateTopic = lateTopic
        self.deadLetterTopic = deadLetterTopic
        self.delivery = delivery
        self.checkpointIntervalMs = checkpointIntervalMs
    }

    /// Every topic the job reads or writes.
    public var topics: [String] {
        var all = [source.topic, output.topic, lateTopic, deadLetterTopic]
        if let rules { all.append(rules.topic) }
        var seen = Set<String>()
        return all.filter { seen.insert($0).inserted }
    }

    /// Output topics the job's sink writes (every topic but the source).
    public var sinkTopics: [String] { topics.filter { $0 != source.topic } }
}

/// A dotted path into a JSON object: `data.customerId` is `["data", "customerId"]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [String]
    public init(_ components: [String]) { self.components = components }
    public init(dotted: String) { self.components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    public var description: String { components.joined(separator: ".") }
    /// Last component: the name a field takes in an output record.
    public var leaf: String { components.last ?? "" }
}

public enum FieldType: String, Sendable, Equatable {
    case string, number
}

public struct FieldSpec: Sendable, Equatable {
    public var path: FieldPath
    public var type: FieldType
    public var required: Bool
    public init(path: FieldPath, type: FieldType, required: Bool) {
        self.path = path
        self.type = type
        self.required = required
    }
}

public struct SourceSpec: Sendable, Equatable {
    public var topic: String
    public init(topic: String) { self.topic = topic }
}

public struct WatermarkSpec: Sendable, Equatable {
    public var outOfOrdernessMs: Int64
    /// nil: idle partitions hold their watermark (the default).
    public var idleTimeoutMs: Int64?
    public init(outOfOrdernessMs: Int64, idleTimeoutMs: Int64? = nil) {
        self.outOfOrdernessMs = outOfOrdernessMs
        self.idleTimeoutMs = idleTimeoutMs
    }
}

public struct WindowSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case tumbling, sliding }
    public var kind: Kind
    public var sizeMs: Int64
    /// Equals `sizeMs` for tumbling windows.
    public var slideMs: Int64
    public var allowedLatenessMs: Int64
    public init(kind: Kind, sizeMs: Int64, slideMs: Int64, allowedLatenessMs: Int64) {
        self.kind = kind
        self.sizeMs = sizeMs
        self.slideMs = slideMs
        self.allowedLatenessMs = allowedLatenessMs
    }
    public static func tumbling(sizeMs: Int64, allowedLatenessMs: Int64 = 0) -> WindowSpec {
        WindowSpec(kind: .tumbling, sizeMs: sizeMs, slideMs: sizeMs, allowedLatenessMs: allowedLatenessMs)
    }
    public static func sliding(sizeMs: Int64, slideMs: Int64, allowedLatenessMs: Int64 = 0) -> WindowSpec {
        WindowSpec(kind: .sliding, sizeMs: sizeMs, slideMs: slideMs, allowedLatenessMs: allowedLatenessMs)
    }
}

/// A filter `field == value` restricting which records an aggregation sees.
public struct FieldEquals: Sendable, Equatable {
    public var field: FieldPath
    public var value: String
    public init(field: FieldPath, value: String) {
        self.field = field
        self.value = value
    }
}

public struct AggregationSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Records (with `field`: records where the field is present).
        case count
        /// Sum of a number field; 0 when no record has it.
        case sum
        /// Average of a number field; null when no record has it.
        case avg
        case min
        case max
        /// Count per distinct value of a string field, as a JSON object.
        case countBy
    }
    /// Name of the field in the output record's `data`.
    public var name: String
    public var kind: Kind
    public var field: FieldPath?
    public var filter: FieldEquals?
    public init(name: String, kind: Kind, field: FieldPath? = nil, filter: FieldEquals? = nil) {
        self.name = name
        self.kind = kind
        self.field = field
        self.filter = filter
    }
}

/// Where window results go and the CloudEvent envelope they carry.
public struct OutputSpec: Sendable, Equatable {
    public var topic: String
    /// CloudEvent `type`, e.g. `bss.analytics.customer.window`.
    public var type: String
    /// CloudEvent `source`, e.g. `/stream/customer-analytics`.
    public var source: String
    public init(topic: String, type: String, source: String) {
        self.topic = topic
        self.type = type
        self.source = source
    }
}

/// Threshold rules evaluated on every firing, with docs/bss-jobs.md §4's dedup against the
/// previous sliding window.
public struct RulesSpec: Sendable, Equatable {
    public var topic: String
    public var type: String
    public var source: String
    public var rules: [ThresholdRule]
    public init(topic: String, type: String, source: String, rules: [ThresholdRule]) {
        self.topic = topic
        self.type = type
        self.source = source
        self.rules = rules
    }
}

public struct ThresholdRule: Sendable, Equatable {
    public var name: String
    /// An aggregation name, or `countByName.VALUE` for one value of a countBy.
    public var metric: String
    public var threshold: Double
    public var severity: String
    public init(name: String, metric: String, threshold: Double, severity: String) {
        self.name = name
        self.metric = metric
        self.threshold = threshold
        self.severity = severity
    }
}

public enum DeliveryGuarantee: String, Sendable, Equatable {
    case exactlyOnce = "exactly-once"
    case transactional
    case atLeastOnce = "at-least-once"
}
