/// `late` and `deadLetter`: a mapping holding only a topic.
enum TopicSection {
    /// The topic and its node (for the "not the source topic" check).
    static func parse(_ value: YAMLValue) throws -> (String, YAMLValue) {
        let node = try value.mapping(allowedKeys: ["topic"]).required("topic")
        return (try node.topic(), node)
    }
}
