/// A job whose grouping key is not what its source topic is partitioned by runs as two stages
/// joined by a repartition topic, Kafka Streams' design on this engine's guarantees:
///
/// - stage 1 reads the source, runs the steps before the `keyBy`, and writes each record that
///   passes them, unchanged, to `<job>.<keyBy step id>.repartition` with the new key as its Kafka
///   key (so Kafka's partitioner puts each key in one partition), sequenced as any sink's output;
///   between records it writes its watermark into every partition of that topic
///   (`WatermarkControl`);
/// - stage 2 reads the repartition topic, runs the computed fields of the steps before the
///   `keyBy` again (pure functions of the record) and the steps after it; its watermark is the
///   minimum over the stage-1 tasks' latest ones (`UpstreamWatermarks`).
public enum StageRole: Sendable, Equatable, Codable {
    /// Stage 1: records that pass the steps go to `topic`, keyed by the source's `key` (the
    /// field of the `keyBy` step `step`, which a record without it fails at).
    case repartitionWriter(topic: String, step: String)
    /// Stage 2: reads a repartition topic written by one task per partition of `upstreamTopic`.
    case repartitionReader(upstreamTopic: String)

    /// 1 or 2: how a stage is shown and where its tasks keep their checkpoints.
    public var number: Int {
        switch self {
        case .repartitionWriter: 1
        case .repartitionReader: 2
        }
    }
}

/// Where a job repartitions: its `keyBy` step and the topic between the stages.
public struct Repartition: Sendable, Equatable {
    /// Index of the `keyBy` step in `JobSpec.steps`.
    public var step: Int
    public var key: FieldPath
    public var topic: String
}

extension JobSpec {
    /// The key the window (and the output's record key) groups by: the last `keyBy`, else the
    /// source's `key`.
    public var groupingKey: FieldPath? {
        for step in steps.reversed() { if case .keyBy(let key) = step.operation { return key } }
        return source.key
    }

    /// The key a window groups by; the loader refuses a window job without one.
    public var groupKey: FieldPath {
        guard let groupingKey else { preconditionFailure("a job with a window has a key (the loader requires one)") }
        return groupingKey
    }

    /// The `keyBy` step that repartitions, if any: the first one on a field other than the one
    /// the source is partitioned by (`partitionedBy`, else `key`). Nil for a stage.
    public var repartition: Repartition? {
        guard stage == nil else { return nil }
        let partitioned = source.partitionedBy ?? source.key
        for (i, step) in steps.enumerated() {
            if case .keyBy(let key) = step.operation, key != partitioned {
                return Repartition(step: i, key: key, topic: "\(name).\(step.id).repartition")
            }
        }
        return nil
    }

    /// What the job runs as: itself, or its two stages when it repartitions.
    public var stages: [JobSpec] {
        guard let repartition else { return [self] }
        var first = self
        first.stage = .repartitionWriter(topic: repartition.topic, step: steps[repartition.step].id)
        first.source.key = repartition.key
        first.steps = Array(steps[..<repartition.step]).filter { !$0.isKeyBy }
        first.window = nil
        first.sinks = [SinkSpec(topic: repartition.topic, format: source.format)]
        first.lateTopic = nil

        var second = self
        second.stage = .repartitionReader(upstreamTopic: source.topic)
        second.source.topic = repartition.topic
        second.source.key = repartition.key
        second.source.partitionedBy = nil
        // The stage-1 steps already dropped what they drop; their computed fields are made again.
        second.steps = steps[..<repartition.step].filter { $0.isSet } + steps[(repartition.step + 1)...].filter { !$0.isKeyBy }
        return [first, second]
    }

    /// Where a task of this job (or stage) keeps its checkpoints, under the checkpoint root.
    public var checkpointName: String {
        guard let stage else { return name }
        return "\(name).stage-\(stage.number)"
    }

    /// Whether the watermark comes from the stage-1 tasks' control records rather than from
    /// the records' event times.
    public var readsRepartitionTopic: Bool { upstreamTopic != nil }

    /// A stage 2's stage-1 source topic: it has a task per partition writing this stage's input.
    public var upstreamTopic: String? {
        if case .repartitionReader(let topic) = stage { return topic }
        return nil
    }
}

extension StepSpec {
    var isKeyBy: Bool {
        if case .keyBy = operation { return true }
        return false
    }

    var isSet: Bool {
        if case .set = operation { return true }
        return false
    }
}
