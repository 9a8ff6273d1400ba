import StreamCore

/// What a loaded job does, in a few lines for a person: its source, each step, where its output
/// goes and what state it keeps (`jobmanager validate`).
public enum JobDescription {
    public static func describe(_ job: JobSpec) -> String {
        var lines = ["\(job.name):"]
        let source = job.source
        let time = source.timeIsEpochMillis ? "epoch ms" : "RFC 3339"
        lines.append("  source        \(source.topic) (\(source.format.rawValue)), \(source.key.map { "key \($0)" } ?? "no key")\(source.partitionedBy.map { ", partitioned by \($0)" } ?? ""), time \(source.time) (\(time)), "
                     + "watermark \(duration(source.watermark.outOfOrdernessMs)) out of order"
                     + (source.watermark.idleTimeoutMs.map { ", idle after \(duration($0))" } ?? ""))
        lines.append("  fields        " + source.fields.map { "\($0.path) \($0.type.rawValue)\($0.required ? " required" : "")" }
            .joined(separator: ", "))
        for (i, step) in job.steps.enumerated() {
            switch step.operation {
            case .filter(let condition):
                lines.append("  step \(i + 1)        \(step.id): filter \(condition)")
            case .set(let fields):
                lines.append("  step \(i + 1)        \(step.id): set " + fields.map { "\($0.name) = \($0.expression)" }.joined(separator: ", "))
            case .dedup(let dedup):
                lines.append("  step \(i + 1)        \(step.id): dedup by \(dedup.key) within \(duration(dedup.withinMs))")
            case .keyBy(let key):
                let shuffle = job.repartition?.step == i ? ", repartitioned through \(job.repartition!.topic)" : ""
                lines.append("  step \(i + 1)        \(step.id): key by \(key)\(shuffle)")
            }
        }
        if let window = job.window {
            lines.append("  step \(job.steps.count + 1)        \(window.id): \(describe(window.window)) per \(job.groupKey)")
            for aggregation in window.aggregations {
                let operand = aggregation.operand ?? "*"
                let condition = aggregation.condition.map { " where \($0)" } ?? ""
                lines.append("                  \(aggregation.name) = \(aggregation.kind.rawValue)(\(operand))\(condition)")
            }
            if let rules = window.rules {
                for rule in rules.rules {
                    let threshold = rule.threshold.rounded() == rule.threshold && abs(rule.threshold) < 1e15
                        ? String(Int64(rule.threshold)) : String(rule.threshold)
                    lines.append("                  rule \(rule.name): \(rule.metric) >= \(threshold) (\(rule.severity)) -> \(rules.topic)")
                }
            }
            if let topN = window.topN {
                lines.append("                  top \(topN.n)\(topN.withTies ? " with ties" : "") by \(topN.by) \(topN.descending ? "desc" : "asc") per firing, with rank")
            }
            lines.append(window.window.kind == .session
                ? "  state         a row per key and open session (in memory), in every checkpoint"
                : "  state         a row per key and live window (in memory, spilling to RocksDB), in every checkpoint")
        } else if !job.steps.contains(where: { if case .dedup = $0.operation { true } else { false } }) {
            lines.append("  state         none (stateless: only source offsets are checkpointed)")
        }
        for step in job.steps {
            guard case .dedup(let dedup) = step.operation else { continue }
            lines.append("  state         \(step.id): an entry per key value for \(duration(dedup.withinMs)) of event time (in memory), in every checkpoint")
        }
        for sink in job.sinks {
            let format = job.window == nil ? "records with computed fields"
                : sink.format == .cloudevents ? "cloudevents \(sink.type)" : "json"
            lines.append("  sink          \(sink.topic) (\(format))" + (sink.when.map { " when \($0)" } ?? ""))
        }
        if let late = job.lateTopic { lines.append("  late          \(late)") }
        lines.append("  dead letters  \(job.deadLetterTopic)")
        lines.append("  delivery      \(job.delivery.rawValue), checkpoint every \(duration(job.checkpointIntervalMs))")
        return lines.joined(separator: "\n")
    }

    private static func describe(_ window: WindowSpec) -> String {
        let lateness = window.allowedLatenessMs > 0 ? ", allowed lateness \(duration(window.allowedLatenessMs))" : ""
        switch window.kind {
        case .tumbling: return "tumbling window \(duration(window.sizeMs))\(lateness)"
        case .sliding: return "sliding window \(duration(window.sizeMs)) every \(duration(window.slideMs))\(lateness)"
        case .session: return "session window, gap \(duration(window.gapMs))\(lateness)"
        }
    }

    /// Milliseconds in the largest unit that divides them, as written in a definition.
    static func duration(_ ms: Int64) -> String {
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1_000)] where ms != 0 && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }
}
