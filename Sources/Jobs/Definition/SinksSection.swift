import StreamCore

/// `sinks`: where results go. A window job's results are CloudEvents (with `type` and `source`)
/// or the plain JSON of their data; a stateless job writes its records. `when` routes.
enum SinksSection {
    static let keys = ["topic", "format", "type", "source", "when"]

    static func parse(_ value: YAMLValue, hasWindow: Bool, nodes: inout ExpressionNodes) throws -> [(SinkSpec, YAMLValue)] {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("expected at least one sink") }
        guard items.count <= OutputBatch.Stream.maxSinks else {
            throw value.error("at most \(OutputBatch.Stream.maxSinks) sinks per job, got \(items.count)")
        }
        var sinks: [(SinkSpec, YAMLValue)] = []
        for item in items {
            let index = sinks.count
            let parsed = value.diagnostics.attempt { () throws -> (SinkSpec, YAMLValue) in
                let sink = try item.mapping(allowedKeys: keys)
                let topicNode = try sink.required("topic")
                let topic = try topicNode.topic()
                let format = try sink.optional("format").map { RecordFormat(rawValue: try $0.oneOf(["cloudevents", "json"]))! }
                    ?? .cloudevents
                var type = "", source = ""
                if hasWindow && format == .cloudevents {
                    type = try sink.required("type").string()
                    source = try sink.required("source").string()
                } else {
                    let why = hasWindow ? "a json sink writes no envelope" : "a job without a window writes its records as they are"
                    for key in ["type", "source"] {
                        if let node = sink.optional(key) { throw node.error("\(key) is for the CloudEvents envelope of window results; \(why)") }
                    }
                    if !hasWindow, let node = sink.optional("format") {
                        throw node.error("a job without a window writes its records as they came, with its computed fields added")
                    }
                }
                let whenNode = sink.optional("when")
                let when = try whenNode?.expression()
                if let whenNode { nodes.add(.sinkWhen(index), whenNode) }
                return (SinkSpec(topic: topic, format: format, type: type, source: source, when: when), topicNode)
            }
            if let parsed { sinks.append(parsed) }
        }
        return sinks
    }
}
