import StreamCore

/// The sections naming where records come from and go: `source`, `late` and `deadLetter` hold a
/// topic; `output` and `rules` also the CloudEvent `type` and `source` their records carry.
enum TopicSections {
    /// `{ topic: ... }`, returning the topic and its node (for the "not the source topic" check).
    static func topicOnly(_ value: YAMLValue) throws -> (String, YAMLValue) {
        let node = try value.mapping(allowedKeys: ["topic"]).required("topic")
        return (try node.topic(), node)
    }

    /// `topic`, `type` and `source` of a mapping whose keys were already checked.
    static func target(_ mapping: YAMLMapping) throws -> (topic: String, type: String, source: String, topicNode: YAMLValue) {
        let topicNode = try mapping.required("topic")
        return (try topicNode.topic(), try mapping.required("type").string(),
                try mapping.required("source").string(), topicNode)
    }

    static func output(_ value: YAMLValue) throws -> (OutputSpec, YAMLValue) {
        let target = try target(value.mapping(allowedKeys: ["topic", "type", "source"]))
        return (OutputSpec(topic: target.topic, type: target.type, source: target.source), target.topicNode)
    }
}
