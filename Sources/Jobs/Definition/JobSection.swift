import StreamCore

/// One entry of `jobs`: reads every section, checks how they refer to each other, and compiles
/// the job's expressions, reporting every problem it finds.
enum JobSection {
    static let keys = ["name", "source", "steps", "sinks", "late", "deadLetter", "delivery", "checkpointInterval"]

    static let defaultDelivery = DeliveryGuarantee.exactlyOnce
    static let defaultCheckpointIntervalMs: Int64 = 10_000

    /// The job and the node of its name (for the loader's duplicate-name check), or nil when it
    /// has problems (all reported).
    static func parse(_ item: YAMLValue) -> (JobSpec, YAMLValue)? {
        let d = item.diagnostics
        // Paths inside a job are relative to it (`source.key`); the line tells which job.
        guard let job = d.attempt({ try item.mapping(allowedKeys: keys, childPrefix: "") }) else { return nil }
        let before = d.errors.count
        let nameNode = d.attempt { try job.required("name") }
        let name = nameNode.flatMap { node in d.attempt { try node.jobName() } }
        let (source, sourceTopic) = d.attempt { try job.required("source") }.map(SourceSection.parse) ?? (nil, nil)

        var nodes = ExpressionNodes()
        let steps = d.attempt { try StepsSection.parse(job.required("steps"), source: source, nodes: &nodes) }
        // Without readable steps, judge the rest as a window job's, the usual kind.
        let hasWindow = steps?.hasWindow ?? true
        if let source, source.key == nil, steps?.keyByNode == nil, steps?.hasWindow == true, let sourceNode = job.optional("source") {
            d.report(sourceNode.error("missing required key \"key\" (a job with a window groups its records by it, or by a keyBy step)"))
        }
        let sinks = d.attempt { try SinksSection.parse(job.required("sinks"), hasWindow: hasWindow, nodes: &nodes) }

        var outputs: [(String, YAMLValue)] = sinks?.map { ($0.0.topic, $0.1) } ?? []
        if let rulesTopic = steps?.rulesTopic { outputs.append(rulesTopic) }
        var lateTopic: String?
        if let lateNode = job.optional("late") {
            if steps != nil && !hasWindow {
                d.report(lateNode.error("a job without a window has no late records"))
            } else if let late = d.attempt({ try TopicSection.parse(lateNode) }) {
                lateTopic = late.0
                outputs.append(late)
            }
        } else if hasWindow {
            d.report(job.value.error("missing required key \"late\" (a job with a window sends records too late for it there)"))
        }
        let deadLetter = d.attempt { try TopicSection.parse(job.required("deadLetter")) }
        if let deadLetter { outputs.append(deadLetter) }
        if let sourceTopic {
            for (topic, node) in outputs where topic == sourceTopic {
                d.report(node.error("must differ from the source topic \"\(sourceTopic)\" (the job would read its own output)"))
            }
        }

        let delivery = d.attempt {
            try job.optional("delivery").map {
                DeliveryGuarantee(rawValue: try $0.oneOf(["exactly-once", "transactional", "at-least-once"]))!
            } ?? defaultDelivery
        }
        let checkpointInterval = d.attempt {
            try job.optional("checkpointInterval")?.durationMs(allowZero: false) ?? defaultCheckpointIntervalMs
        }
        // The expressions are checked whenever the source and the steps read, whatever else has
        // problems, so a file's expression errors come with its other errors.
        guard let source, let steps else { return nil }
        let spec = JobSpec(name: name ?? "", source: source, steps: steps.steps, window: steps.window,
                           sinks: sinks?.map(\.0) ?? [], lateTopic: lateTopic, deadLetterTopic: deadLetter?.0 ?? "",
                           delivery: delivery ?? defaultDelivery, checkpointIntervalMs: checkpointInterval ?? defaultCheckpointIntervalMs)
        checkRepartitioning(spec, job: job, keyByNode: steps.keyByNode)
        if case .failure(let problems) = CompiledJob.compile(spec) {
            for problem in problems.problems {
                let node = nodes.node(of: problem.site) ?? job.value
                d.report(node.error(problem.error))
            }
        }
        guard d.errors.count == before, let nameNode, sinks != nil, deadLetter != nil else { return nil }
        return (spec, nameNode)
    }

    /// A window must group by what the source is partitioned by, or say where to re-key; a job
    /// that repartitions has a watermark that is a function of its input alone.
    private static func checkRepartitioning(_ spec: JobSpec, job: YAMLMapping, keyByNode: YAMLValue?) {
        let d = job.value.diagnostics
        let sourceNode = job.optional("source")
        let partitionedNode = sourceNode?.entry("partitionedBy")
        if spec.window != nil, let partitioned = spec.source.partitionedBy, spec.repartition == nil,
           let key = spec.groupingKey, key != partitioned {
            d.report((partitionedNode ?? job.value).error(
                "the window groups by \(key), but the source is partitioned by \(partitioned): a task would see only part of "
                    + "each key; add a step `- keyBy: \(key)` before the window (it repartitions the records by it)"))
        }
        if let repartition = spec.repartition {
            if spec.source.watermark.idleTimeoutMs != nil {
                let watermarkNode = sourceNode?.entry("watermark")?.entry("idleTimeout")
                d.report((watermarkNode ?? keyByNode ?? job.value).error(
                    "idleTimeout is not available in a job that repartitions: the watermark it writes downstream must follow "
                        + "from the records alone, so a restarted task writes the same"))
            }
            let others = [spec.source.topic, spec.deadLetterTopic] + spec.sinks.map(\.topic)
                + [spec.lateTopic, spec.window?.rules?.topic].compactMap { $0 }
            if others.contains(repartition.topic) {
                d.report((keyByNode ?? job.value).error("\(repartition.topic) is the job's repartition topic; no other topic of the job may be it"))
            }
        }
    }
}
