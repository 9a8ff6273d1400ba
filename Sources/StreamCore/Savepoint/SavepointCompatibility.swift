/// Whether a savepoint's state can be restored into a new definition, by step id: a window step
/// keeps its state when its key, window shape and aggregation kinds are unchanged, a dedup step
/// when its key expression and `within` are; filters, thresholds, output fields and steps without
/// state may change freely.
public enum SavepointCompatibility {
    /// The step ids whose state no step of `new` claims (dropped with `allowNonRestoredState`).
    /// Throws `SavepointError.incompatible` naming the step and what changed.
    public static func check(old: JobSpec, new: JobSpec, statefulSteps: [String]) throws -> [String] {
        var unclaimed: [String] = []
        for stepId in statefulSteps {
            let changes: [String]
            if let window = new.window, window.id == stepId {
                if dedup(stepId, of: old) != nil { throw SavepointError.incompatible(step: stepId, changes: ["dedup -> window"]) }
                guard let before = old.window, before.id == stepId else { continue }
                changes = windowChanges(old: old, before: before, new: new, after: window)
            } else if let after = dedup(stepId, of: new) {
                if old.window?.id == stepId { throw SavepointError.incompatible(step: stepId, changes: ["window -> dedup"]) }
                guard let before = dedup(stepId, of: old) else { continue }
                changes = (before.key != after.key ? ["dedup key \(before.key) -> \(after.key)"] : [])
                    + (before.withinMs != after.withinMs ? ["dedup within \(before.withinMs) ms -> \(after.withinMs) ms"] : [])
            } else {
                unclaimed.append(stepId)
                continue
            }
            if !changes.isEmpty { throw SavepointError.incompatible(step: stepId, changes: changes) }
        }
        return unclaimed
    }

    private static func dedup(_ stepId: String, of job: JobSpec) -> DedupSpec? {
        for step in job.steps where step.id == stepId {
            if case .dedup(let dedup) = step.operation { return dedup }
        }
        return nil
    }

    private static func windowChanges(old: JobSpec, before: WindowStep, new: JobSpec, after window: WindowStep) -> [String] {
        var changes: [String] = []
        if old.source.key != new.source.key { changes.append("key \(old.source.key.map(\.description) ?? "none") -> \(new.source.key.map(\.description) ?? "none")") }
        let a = before.window, b = window.window
        if a.kind != b.kind { changes.append("window kind \(a.kind.rawValue) -> \(b.kind.rawValue)") }
        if a.sizeMs != b.sizeMs { changes.append("window size \(a.sizeMs) ms -> \(b.sizeMs) ms") }
        if a.slideMs != b.slideMs { changes.append("window slide \(a.slideMs) ms -> \(b.slideMs) ms") }
        if a.gapMs != b.gapMs { changes.append("session gap \(a.gapMs) ms -> \(b.gapMs) ms") }
        let kinds = { (w: WindowStep) in w.aggregations.map { "\($0.name):\($0.kind.rawValue)" } }
        if kinds(before) != kinds(window) {
            changes.append("aggregations [\(kinds(before).joined(separator: ", "))] -> [\(kinds(window).joined(separator: ", "))]")
        }
        return changes
    }
}
