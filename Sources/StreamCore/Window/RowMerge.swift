extension AggregateLayout {
    /// Adds the aggregates of row `source` to row `target` of `columns`, as if target had seen
    /// source's records too: counts and sums add, an average adds its sum and count, minima and
    /// maxima take the extreme ("absent" loses), countBy counts add per value. Firings are not
    /// touched. `scratch` holds a list's counts while they are added, reused across calls.
    func merge(row source: Int, into target: Int, of columns: RowColumns, scratch: inout [CountEntry]) {
        let from = source * width, to = target * width
        for slot in slots {
            let s = from + slot.word, t = to + slot.word
            switch slot.kind {
            case .count:
                columns.words[t] &+= columns.words[s]
            case .sum:
                columns.words[t] = (Double(bitPattern: columns.words[t]) + Double(bitPattern: columns.words[s])).bitPattern
            case .avg:
                columns.words[t] = (Double(bitPattern: columns.words[t]) + Double(bitPattern: columns.words[s])).bitPattern
                columns.words[t + 1] &+= columns.words[s + 1]
            case .min, .max:
                let v = Double(bitPattern: columns.words[s]), current = Double(bitPattern: columns.words[t])
                if !v.isNaN && (current.isNaN || (slot.kind == .min ? v < current : v > current)) {
                    columns.words[t] = columns.words[s]
                }
            case .countBy, .countDistinct:
                // Copied out first: adding to target's list may grow the arena source's list lies in.
                scratch.removeAll(keepingCapacity: true)
                columns.forEachCount(at: s) { value, count in scratch.append(CountEntry(value: value, count: count)) }
                for entry in scratch { columns.addCount(of: entry.value, by: entry.count, at: t) }
            }
        }
    }
}
