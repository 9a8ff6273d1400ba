/// A threshold rule resolved against the aggregation layout.
struct CompiledRule: Sendable {
    let name: String
    let escapedName: [UInt8]
    let quotedSeverity: [UInt8]
    let threshold: Double
    /// Index of the aggregation the metric reads.
    let slot: Int
    /// For `countByName.VALUE` metrics: VALUE's bytes.
    let countByValue: [UInt8]?

    init(_ rule: ThresholdRule, aggregations: [AggregationSpec]) {
        name = rule.name
        escapedName = JSONText.escaped(rule.name)
        quotedSeverity = JSONText.quoted(rule.severity)
        threshold = rule.threshold
        if let i = aggregations.firstIndex(where: { $0.name == rule.metric }) {
            slot = i
            countByValue = nil
        } else if let dot = rule.metric.firstIndex(of: "."),
                  let i = aggregations.firstIndex(where: { $0.name == rule.metric[..<dot] && $0.kind == .countBy }) {
            slot = i
            countByValue = Array(rule.metric[rule.metric.index(after: dot)...].utf8)
        } else {
            preconditionFailure("rule \(rule.name): metric \(rule.metric) names no aggregation")
        }
    }

    /// Integral thresholds print as integers (`5`, `10000`), as a data engineer wrote them.
    func writeThreshold(_ w: inout JSONWriter) {
        if threshold == threshold.rounded(), abs(threshold) < 9e15 { w.int(Int64(threshold)) } else { w.double(threshold) }
    }
}

/// Which rules tripped on the latest firing of each (key, window), and which already alerted:
/// docs/bss-jobs.md §4 raises an alert only when the rule did not trip on the previous window, once per window.
struct RuleMemory: Sendable {
    /// Window ends in increasing order, and per end: key id -> tripped bits | alerted bits << 32.
    private(set) var ends: [Int64] = []
    private(set) var entries: [KeyBitsTable] = []

    func bits(key: Int32, end: Int64) -> UInt64 {
        guard let i = index(of: end) else { return 0 }
        return entries[i].bits(of: key)
    }

    mutating func set(key: Int32, end: Int64, bits: UInt64) {
        if let i = index(of: end) {
            entries[i].set(key, bits)
            return
        }
        // Absent means nothing tripped: keys that never trip cost no memory.
        if bits == 0 { return }
        let at = ends.firstIndex(where: { $0 > end }) ?? ends.count
        var table = KeyBitsTable()
        table.set(key, bits)
        ends.insert(end, at: at)
        entries.insert(table, at: at)
    }

    /// Drops windows that neither fire again nor precede a window that can still fire.
    mutating func prune(keepingEndsAfter cutoff: Int64) {
        var n = 0
        while n < ends.count && ends[n] <= cutoff { n += 1 }
        if n > 0 {
            ends.removeFirst(n)
            entries.removeFirst(n)
        }
    }

    private func index(of end: Int64) -> Int? {
        var i = ends.count - 1
        while i >= 0 {
            if ends[i] == end { return i }
            if ends[i] < end { return nil }
            i -= 1
        }
        return nil
    }
}
