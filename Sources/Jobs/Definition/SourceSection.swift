import StreamCore

/// `source`: the topic, how its records are written, their key (a job with a window groups by
/// it), their time, their fields and how far their event time may run out of order.
enum SourceSection {
    static let keys = ["topic", "format", "key", "partitionedBy", "time", "fields", "watermark"]
    static let defaultTimeField = "time"

    /// The source, or nil when it has problems (reported); its topic when that reads.
    static func parse(_ value: YAMLValue) -> (SourceSpec?, topic: String?) {
        let d = value.diagnostics
        guard let source = d.attempt({ try value.mapping(allowedKeys: keys) }) else { return (nil, nil) }
        let topic = d.attempt { try source.required("topic").topic() }
        let format = d.attempt {
            try source.optional("format").map { RecordFormat(rawValue: try $0.oneOf(["cloudevents", "json"]))! }
                ?? .cloudevents
        }
        let fields = d.attempt { try DeclaredFields.parse(source.required("fields")) }
        // A job without a window needs no key; the job's section asks for one when it has a window.
        let keyNode = source.optional("key")
        let key = fields.flatMap { fields in keyNode.map { node in d.attempt { try parseKey(node, fields: fields) } } }
        let partitionedNode = source.optional("partitionedBy")
        let partitionedBy = fields.flatMap { fields in partitionedNode.map { node in d.attempt { try fields.lookup(node).path } } }
        let time = fields.flatMap { fields in
            d.attempt { try parseTime(source.optional("time"), fields: fields) }
        }
        let watermark = d.attempt { try WatermarkSection.parse(source.required("watermark")) }
        // With a field declaration unread, expressions naming it would look wrong: no source.
        guard let topic, let format, let fields, !fields.incomplete, keyNode == nil || key! != nil,
              partitionedNode == nil || partitionedBy! != nil, let time, let watermark else {
            return (nil, topic)
        }
        return (SourceSpec(topic: topic, format: format, key: key ?? nil, time: time, fields: fields.specs, watermark: watermark,
                           partitionedBy: partitionedBy ?? nil), topic)
    }

    /// The key groups records and is their output's subject, so it must be a string or number
    /// (grouped by its text). A record that reaches the window without one is a dead letter.
    static func parseKey(_ node: YAMLValue, fields: DeclaredFields) throws -> FieldPath {
        let key = try fields.lookup(node)
        guard key.type == .string || key.type == .number else {
            throw node.error("the key needs a string or number field, but \"\(key.path)\" is declared as \(key.type)")
        }
        return key.path
    }

    /// Event time is RFC 3339 text or, in a field declared as a number, epoch milliseconds.
    private static func parseTime(_ node: YAMLValue?, fields: DeclaredFields) throws -> FieldPath {
        guard let node else { return FieldPath(dotted: defaultTimeField) }
        let path = try node.fieldPath()
        if let declared = fields.specs.first(where: { $0.path == path }), declared.type == .boolean {
            throw node.error("the event time is RFC 3339 text or epoch milliseconds, but \"\(path)\" is declared as boolean")
        }
        return path
    }
}
