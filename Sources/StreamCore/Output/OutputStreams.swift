extension JobSpec {
    /// Each output stream of the job and the topic it goes to (streams may share a topic).
    public var outputStreams: [(stream: OutputBatch.Stream, topic: String)] {
        var streams: [(stream: OutputBatch.Stream, topic: String)] = sinks.enumerated().map { (.sink($0), $1.topic) }
        if let rules = window?.rules { streams.append((.alert, rules.topic)) }
        if let lateTopic { streams.append((.late, lateTopic)) }
        streams.append((.deadLetter, deadLetterTopic))
        if case .repartitionWriter(let topic, _) = stage { streams.append((.watermarkControl, topic)) }
        return streams
    }
}
