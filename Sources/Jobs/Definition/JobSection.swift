import StreamCore

/// One entry of `jobs`: reads every section and checks how they refer to each other.
enum JobSection {
    static let keys = ["name", "source", "key", "time", "fields", "watermark", "window", "aggregations",
                       "output", "rules", "late", "deadLetter", "delivery", "checkpointInterval"]

    static let defaultTimeField = "time"
    static let defaultDelivery = DeliveryGuarantee.exactlyOnce
    static let defaultCheckpointIntervalMs: Int64 = 10_000

    /// The job and the node of its name (for the loader's duplicate-name check).
    static func parse(_ item: YAMLValue) throws -> (JobSpec, YAMLValue) {
        // Paths inside a job are relative to it (`window.size`); the line tells which job.
        let job = try item.mapping(allowedKeys: keys, childPrefix: "")
        let nameNode = try job.required("name")
        let name = try nameNode.jobName()
        let (sourceTopic, _) = try TopicSections.topicOnly(job.required("source"))

        let fields = try DeclaredFields.parse(job.required("fields"))
        let keyNode = try job.required("key")
        let key = try fields.lookup(keyNode, ofType: .string, for: "the key")
        guard key.required else {
            throw keyNode.error("the key field must be declared with required: true (a record without a key cannot be grouped)")
        }
        let timeField = try parseTimeField(job.optional("time"), fields: fields)

        let watermark = try WatermarkSection.parse(job.required("watermark"))
        let window = try WindowSection.parse(job.required("window"))
        let reserved = [key.path.leaf: "the key", "windowStart": "the window start",
                        "windowEnd": "the window end", "revision": "the firing's revision"]
        let aggregations = try AggregationsSection.parse(job.required("aggregations"), fields: fields,
                                                         reservedNames: reserved)

        var sinks: [(String, YAMLValue)] = []
        let (output, outputTopicNode) = try TopicSections.output(job.required("output"))
        sinks.append((output.topic, outputTopicNode))
        let rules = try job.optional("rules").map { try RulesSection.parse($0, aggregations: aggregations) }
        if let (spec, topicNode) = rules { sinks.append((spec.topic, topicNode)) }
        let late = try TopicSections.topicOnly(job.required("late"))
        let deadLetter = try TopicSections.topicOnly(job.required("deadLetter"))
        sinks += [late, deadLetter]
        for (topic, node) in sinks where topic == sourceTopic {
            throw node.error("must differ from the source topic \"\(sourceTopic)\" (the job would read its own output)")
        }

        let delivery = try job.optional("delivery").map {
            DeliveryGuarantee(rawValue: try $0.oneOf(["exactly-once", "transactional", "at-least-once"]))!
        } ?? defaultDelivery
        let checkpointInterval = try job.optional("checkpointInterval")?.durationMs(allowZero: false)
            ?? defaultCheckpointIntervalMs

        let spec = JobSpec(name: name, source: SourceSpec(topic: sourceTopic), keyField: key.path,
                           timeField: timeField, fields: fields.specs, watermark: watermark, window: window,
                           aggregations: aggregations, output: output, rules: rules?.0,
                           lateTopic: late.0, deadLetterTopic: deadLetter.0, delivery: delivery,
                           checkpointIntervalMs: checkpointInterval)
        return (spec, nameNode)
    }

    /// The event-time field is an RFC 3339 string, so if `fields` mentions it, it must be a string.
    private static func parseTimeField(_ node: YAMLValue?, fields: DeclaredFields) throws -> FieldPath {
        guard let node else { return FieldPath(dotted: defaultTimeField) }
        let path = try node.fieldPath()
        if let declared = fields.specs.first(where: { $0.path == path }), declared.type != .string {
            throw node.error("the event time is an RFC 3339 string, but \"\(path)\" is declared as \(declared.type)")
        }
        return path
    }
}
