/// A job: a source, a chain of steps, and sinks; what a data engineer describes in YAML, and the
/// plan the jobmanager sends to taskmanagers (it is `Codable`: the definition is validated once).
///
/// StreamCore runs any job of this shape; it knows nothing of the jobs built from it.
public struct JobSpec: Sendable, Equatable, Codable {
    public var name: String
    public var source: SourceSpec
    /// Steps every valid record goes through, in order, before the window: stateless filters and
    /// computed fields, and dedup steps.
    public var steps: [StepSpec]
    /// The keyed window the records that pass the steps update; nil for a stateless job, whose
    /// records go to the sinks as they pass.
    public var window: WindowStep?
    /// Where window results (or, in a stateless job, the records) go: every sink whose `when` holds.
    public var sinks: [SinkSpec]
    /// Records too late for all their windows; required when there is a window.
    public var lateTopic: String?
    public var deadLetterTopic: String
    public var delivery: DeliveryGuarantee
    /// Milliseconds between checkpoints.
    public var checkpointIntervalMs: Int64
    /// Set on the stages a repartitioning job runs as (`stages`); nil on the job as defined.
    public var stage: StageRole?

    public init(name: String, source: SourceSpec, steps: [StepSpec] = [], window: WindowStep?, sinks: [SinkSpec],
                lateTopic: String?, deadLetterTopic: String, delivery: DeliveryGuarantee,
                checkpointIntervalMs: Int64) {
        self.name = name
        self.source = source
        self.steps = steps
        self.window = window
        self.sinks = sinks
        self.lateTopic = lateTopic
        self.deadLetterTopic = deadLetterTopic
        self.delivery = delivery
        self.checkpointIntervalMs = checkpointIntervalMs
    }

    /// Every topic the job reads or writes, its repartition topic included.
    public var topics: [String] {
        var all = [source.topic] + sinks.map(\.topic)
        if let repartition { all.append(repartition.topic) }
        if let lateTopic { all.append(lateTopic) }
        all.append(deadLetterTopic)
        if let rules = window?.rules { all.append(rules.topic) }
        var seen = Set<String>()
        return all.filter { seen.insert($0).inserted }
    }

    /// Output topics the job's sink writes (every topic but the source).
    public var sinkTopics: [String] { topics.filter { $0 != source.topic } }
}

/// Where records come from and how they are read.
public struct SourceSpec: Sendable, Equatable, Codable {
    public var topic: String
    public var format: RecordFormat
    /// The grouping key of a job with a window: a declared string or number field. The topic is
    /// partitioned by it, so a task sees every record of its keys. A job without a window needs
    /// none: its output keeps each record's Kafka key.
    public var key: FieldPath?
    /// Event time: RFC 3339 text, or epoch milliseconds when the field is declared a number.
    public var time: FieldPath
    /// Fields validated on every record (a record failing them is a dead letter); the catalog
    /// expressions are checked against.
    public var fields: [FieldSpec]
    public var watermark: WatermarkSpec
    /// The field the topic is partitioned by, when it is not `key`: a `keyBy` step on another
    /// field then repartitions. nil: the topic is partitioned by `key` (or, with no key, by
    /// nothing the job knows).
    public var partitionedBy: FieldPath?

    public init(topic: String, format: RecordFormat = .cloudevents, key: FieldPath?, time: FieldPath = FieldPath(["time"]),
                fields: [FieldSpec], watermark: WatermarkSpec, partitionedBy: FieldPath? = nil) {
        self.topic = topic
        self.format = format
        self.key = key
        self.partitionedBy = partitionedBy
        self.time = time
        self.fields = fields
        self.watermark = watermark
    }

    /// Whether event time is epoch milliseconds (a number field) rather than RFC 3339 text.
    public var timeIsEpochMillis: Bool { fields.first { $0.path == time }?.type == .number }
}

/// How a record's value is written: a CloudEvents 1.0 JSON object, or any JSON object.
public enum RecordFormat: String, Sendable, Equatable, Codable {
    case cloudevents, json
}

/// One step of a job before its window.
public struct StepSpec: Sendable, Equatable, Codable {
    public enum Operation: Sendable, Equatable, Codable {
        /// Records for which the boolean expression is not TRUE go no further.
        case filter(String)
        /// Computed fields, each usable by every later step and by the sinks.
        case set([ComputedField])
        /// The first record per key value goes on; repeats go no further while its entry lives.
        case dedup(DedupSpec)
        /// Later steps group by this declared field; when the source is not partitioned by it, the
        /// job repartitions here (`JobSpec.stages`).
        case keyBy(FieldPath)
    }

    /// Names the step in errors, dead letters and metrics.
    public var id: String
    public var operation: Operation

    public init(id: String, operation: Operation) {
        self.id = id
        self.operation = operation
    }
}

public struct ComputedField: Sendable, Equatable, Codable {
    public var name: String
    public var expression: String
    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// A dedup step: a record whose key value has no live entry goes on and creates one with its
/// event time t, which lives until the partition's watermark reaches `t + within - 1`; while it
/// lives, records of that key value are dropped. A NULL key value is never deduplicated.
public struct DedupSpec: Sendable, Equatable, Codable {
    /// The expression whose value is the dedup key (any type).
    public var key: String
    public var withinMs: Int64
    public init(key: String, withinMs: Int64) {
        self.key = key
        self.withinMs = withinMs
    }
}

/// The keyed window step: per key and window, its aggregations; rules over them.
public struct WindowStep: Sendable, Equatable, Codable {
    public var id: String
    public var window: WindowSpec
    public var aggregations: [AggregationSpec]
    public var rules: RulesSpec?
    /// When set, a firing writes only its best-ranked results (Flink's window Top-N).
    public var topN: TopNSpec?

    public init(id: String = "window", window: WindowSpec, aggregations: [AggregationSpec], rules: RulesSpec? = nil,
                topN: TopNSpec? = nil) {
        self.id = id
        self.window = window
        self.aggregations = aggregations
        self.rules = rules
        self.topN = topN
    }
}

/// Of the results one window firing writes (one per key of the task), only the `n` best by the
/// number expression `by` over the result's fields (`ResultFields`), in rank order, each with its `rank` (1 for the best). Equal values rank in
/// key byte order; `withTies` also writes the results equal to the n-th (SQL's `FETCH FIRST n
/// ROWS WITH TIES`). A null value ranks after every number.
public struct TopNSpec: Sendable, Equatable, Codable {
    public var n: Int
    /// A number expression over the result's fields, e.g. an aggregation's name.
    public var by: String
    public var descending: Bool
    public var withTies: Bool
    public init(n: Int, by: String, descending: Bool = true, withTies: Bool = false) {
        self.n = n
        self.by = by
        self.descending = descending
        self.withTies = withTies
    }
}

/// A sink of window results (or of a stateless job's records).
public struct SinkSpec: Sendable, Equatable, Codable {
    public var topic: String
    /// Window results as CloudEvents (the envelope below) or as the plain JSON of their `data`.
    public var format: RecordFormat
    /// CloudEvent `type` and `source` of the results (CloudEvents format).
    public var type: String
    public var source: String
    /// A boolean expression over the result's fields (or the record's); nil: every record.
    public var when: String?

    public init(topic: String, format: RecordFormat = .cloudevents, type: String = "", source: String = "", when: String? = nil) {
        self.topic = topic
        self.format = format
        self.type = type
        self.source = source
        self.when = when
    }
}

/// A dotted path into a JSON object: `data.customerId` is `["data", "customerId"]`.
public struct FieldPath: Sendable, Hashable, Codable, CustomStringConvertible {
    public var components: [String]
    public init(_ components: [String]) { self.components = components }
    public init(dotted: String) { self.components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    public var description: String { components.joined(separator: ".") }
    /// Last component: the name a field takes in an output record.
    public var leaf: String { components.last ?? "" }
}

public enum FieldType: String, Sendable, Equatable, Codable {
    case string, number, boolean
}

public struct FieldSpec: Sendable, Equatable, Codable {
    public var path: FieldPath
    public var type: FieldType
    public var required: Bool
    public init(path: FieldPath, type: FieldType, required: Bool) {
        self.path = path
        self.type = type
        self.required = required
    }
}

public struct WatermarkSpec: Sendable, Equatable, Codable {
    public var outOfOrdernessMs: Int64
    /// nil: idle partitions hold their watermark (the default).
    public var idleTimeoutMs: Int64?
    public init(outOfOrdernessMs: Int64, idleTimeoutMs: Int64? = nil) {
        self.outOfOrdernessMs = outOfOrdernessMs
        self.idleTimeoutMs = idleTimeoutMs
    }
}

public struct WindowSpec: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable { case tumbling, sliding, session }
    public var kind: Kind
    /// 0 for sessions.
    public var sizeMs: Int64
    /// Equals `sizeMs` for tumbling windows; 0 for sessions.
    public var slideMs: Int64
    public var allowedLatenessMs: Int64
    /// Session windows: the inactivity gap that closes a key's session; 0 otherwise.
    public var gapMs: Int64
    public init(kind: Kind, sizeMs: Int64, slideMs: Int64, allowedLatenessMs: Int64, gapMs: Int64 = 0) {
        self.kind = kind
        self.sizeMs = sizeMs
        self.slideMs = slideMs
        self.allowedLatenessMs = allowedLatenessMs
        self.gapMs = gapMs
    }
    public static func tumbling(sizeMs: Int64, allowedLatenessMs: Int64 = 0) -> WindowSpec {
        WindowSpec(kind: .tumbling, sizeMs: sizeMs, slideMs: sizeMs, allowedLatenessMs: allowedLatenessMs)
    }
    public static func sliding(sizeMs: Int64, slideMs: Int64, allowedLatenessMs: Int64 = 0) -> WindowSpec {
        WindowSpec(kind: .sliding, sizeMs: sizeMs, slideMs: slideMs, allowedLatenessMs: allowedLatenessMs)
    }
    public static func session(gapMs: Int64, allowedLatenessMs: Int64 = 0) -> WindowSpec {
        WindowSpec(kind: .session, sizeMs: 0, slideMs: 0, allowedLatenessMs: allowedLatenessMs, gapMs: gapMs)
    }
}

public struct AggregationSpec: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// Records (with an operand: records where it is not null).
        case count
        /// Sum of a number operand; 0 when no record has one.
        case sum
        /// Average of a number operand; null when no record has one.
        case avg
        case min
        case max
        /// Count per distinct value of a string operand, as a JSON object.
        case countBy
        /// Number of distinct values of a string operand (SQL's `COUNT(DISTINCT x)`), exact.
        case countDistinct

        /// Keeps a count per distinct value of its operand in the row (countBy, countDistinct).
        public var keepsValueCounts: Bool { self == .countBy || self == .countDistinct }
    }
    /// Name of the field in the output record's `data`.
    public var name: String
    public var kind: Kind
    /// The expression aggregated; nil only for `count` of every record (`count: "*"`).
    public var operand: String?
    /// A boolean expression: only records for which it is TRUE are aggregated.
    public var condition: String?
    public init(name: String, kind: Kind, operand: String? = nil, condition: String? = nil) {
        self.name = name
        self.kind = kind
        self.operand = operand
        self.condition = condition
    }
}

/// Threshold rules evaluated on every firing, an alert deduplicated against the previous
/// sliding window (docs/bss-jobs.md).
public struct RulesSpec: Sendable, Equatable, Codable {
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

public struct ThresholdRule: Sendable, Equatable, Codable {
    public var name: String
    /// An aggregation name, or `countByName.VALUE` for one value of a countBy.
    public var metric: String
    public var threshold: Double
    public var severity: String
    /// A boolean expression over the result's fields (`ResultFields`): the rule trips only when it
    /// holds too; nil: `metric >= threshold` alone.
    public var when: String?
    public init(name: String, metric: String, threshold: Double, severity: String, when: String? = nil) {
        self.name = name
        self.metric = metric
        self.threshold = threshold
        self.severity = severity
        self.when = when
    }
}

public enum DeliveryGuarantee: String, Sendable, Equatable, Codable {
    case exactlyOnce = "exactly-once"
    case transactional
    case atLeastOnce = "at-least-once"
}
