/// Whether a savepoint's state can be restored into a new definition, by step id: a stateful
/// step keeps its state when its key, window shape and aggregation kinds are unchanged; filters,
/// thresholds, output fields and steps without state may change freely.
public enum SavepointCompatibility {
    /// The step ids whose state no step of `new` claims (dropped with `allowNonRestoredState`).
    /// Throws `SavepointError.incompatible` naming the step and what changed.
    public static func check(old: JobSpec, new: JobSpec, statefulSteps: [String]) throws -> [String] {
        var unclaimed: [String] = []
        for stepId in statefulSteps {
            guard let window = new.window, window.id == stepId else {
                unclaimed.append(stepId)
                continue
            }
            guard let before = old.window, before.id == stepId else { continue }
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
            if !changes.isEmpty { throw SavepointError.incompatible(step: stepId, changes: changes) }
        }
        return unclaimed
    }
}
