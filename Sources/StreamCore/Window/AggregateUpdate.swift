/// The change one record makes to a row, worked out once per record and then applied to each of
/// its windows (ten for a sliding job): which aggregations the record counts in (filters and
/// absent fields decided once) and their operands (the number, or the countBy value id).
///
/// Aggregations over the same field share one presence check and one operand: customer-analytics'
/// five aggregations of `data.amount` read it once. Tables are raw memory read without retains or
/// bounds checks; confined to the task's thread.
final class AggregateUpdate {
    /// An aggregation as `apply` needs it: where its words are and which operand it adds.
    private struct Target {
        let kind: AggregationSpec.Kind
        let word: Int
        let operand: Int
    }

    /// A field some aggregations read: they take a record only when it is present.
    private struct FieldUse {
        let field: Int
        /// The aggregations that read it.
        let slots: UInt64
        /// Index in `operands` of its number, or -1 when no aggregation adds it.
        let number: Int
    }

    /// A countBy aggregation: its value is interned only when the record counts in it.
    private struct CountByUse {
        let slot: Int
        let field: Int
        let table: Int
    }

    private let targets: UnsafeMutablePointer<Target>
    private let fieldUses: UnsafeMutablePointer<FieldUse>
    private let fieldUseCount: Int
    private let countByUses: UnsafeMutablePointer<CountByUse>
    private let countByUseCount: Int
    /// Per filter: the aggregations it gates.
    private let filterSlots: UnsafeMutablePointer<UInt64>
    private let filterCount: Int
    /// The aggregations with no field (plain counts), which take every record their filter lets by.
    private let unconditional: UInt64
    /// A number per field use that has one, then a value id per countBy (as bits).
    private let operands: UnsafeMutablePointer<UInt64>
    /// Bit i: aggregation i takes this record.
    private(set) var active: UInt64 = 0

    init(layout: AggregateLayout) {
        let slots = layout.slots
        precondition(slots.count <= 64, "at most 64 aggregations per job")
        var uses: [(field: Int, slots: UInt64, number: Int)] = []
        var countBys: [CountByUse] = []
        var operandOf = [Int](repeating: 0, count: slots.count)
        var operandCount = 0
        var unconditional: UInt64 = 0
        var filterSlots = [UInt64](repeating: 0, count: layout.filters.count)
        for (i, slot) in slots.enumerated() {
            if slot.filter >= 0 { filterSlots[slot.filter] |= 1 << UInt64(i) }
            guard slot.field >= 0 else {
                unconditional |= 1 << UInt64(i)
                continue
            }
            var u = uses.firstIndex { $0.field == slot.field } ?? -1
            if u < 0 {
                uses.append((slot.field, 0, -1))
                u = uses.count - 1
            }
            uses[u].slots |= 1 << UInt64(i)
            switch slot.kind {
            case .sum, .avg, .min, .max:
                if uses[u].number < 0 {
                    uses[u].number = operandCount
                    operandCount += 1
                }
                operandOf[i] = uses[u].number
            case .countBy, .countDistinct:
                countBys.append(CountByUse(slot: i, field: slot.field, table: slot.countBy))
            case .count:
                break
            }
        }
        for (n, c) in countBys.enumerated() { operandOf[c.slot] = operandCount + n }
        operandCount += countBys.count
        targets = .allocate(capacity: max(slots.count, 1))
        for (i, slot) in slots.enumerated() {
            (targets + i).initialize(to: Target(kind: slot.kind, word: slot.word, operand: operandOf[i]))
        }
        fieldUseCount = uses.count
        fieldUses = .allocate(capacity: max(uses.count, 1))
        for (n, u) in uses.enumerated() {
            (fieldUses + n).initialize(to: FieldUse(field: u.field, slots: u.slots, number: u.number))
        }
        countByUseCount = countBys.count
        countByUses = .allocate(capacity: max(countBys.count, 1))
        countByUses.initialize(from: countBys, count: countBys.count)
        filterCount = filterSlots.count
        self.filterSlots = .allocate(capacity: max(filterSlots.count, 1))
        self.filterSlots.initialize(from: filterSlots, count: filterSlots.count)
        self.unconditional = unconditional
        operands = .allocate(capacity: max(operandCount, 1))
        operands.initialize(repeating: 0, count: max(operandCount, 1))
    }

    deinit {
        targets.deallocate()
        fieldUses.deallocate()
        countByUses.deallocate()
        filterSlots.deallocate()
        operands.deallocate()
    }

    /// Reads the record's operands from its slots; `filters` has bit i set when condition i holds.
    /// A countBy value is interned in its table here, once per record however many windows it updates.
    @inline(__always)
    func prepare(_ record: UnsafePointer<ExprValue>, filters: UInt64, values: inout [KeyTable]) {
        var active = unconditional
        for n in 0..<fieldUseCount {
            let use = fieldUses[n]
            guard record[use.field].kind != .null else { continue }
            active |= use.slots
            if use.number >= 0 { operands[use.number] = record[use.field].number.bitPattern }
        }
        for f in 0..<filterCount where filters & (1 << UInt64(f)) == 0 {
            active &= ~filterSlots[f]
        }
        for n in 0..<countByUseCount {
            let use = countByUses[n]
            guard active & (1 << UInt64(use.slot)) != 0 else { continue }
            let value = values[use.table].intern(record[use.field].string)
            operands[targets[use.slot].operand] = UInt64(UInt32(bitPattern: value))
        }
        self.active = active
    }

    /// Adds the prepared record to the rows of `columns` whose first words are `bases[0..<count]`:
    /// an aggregation's kind is decided once for all of them (a sliding job's ten windows).
    @inline(__always)
    func apply(to columns: RowColumns, bases: UnsafePointer<Int>, count: Int) {
        var pending = active
        while pending != 0 {
            let i = pending.trailingZeroBitCount
            pending &= pending &- 1
            let target = targets[i]
            let operand = operands[target.operand]
            let word = target.word
            switch target.kind {
            case .count:
                for r in 0..<count { columns.words[bases[r] + word] &+= 1 }
            case .sum:
                for r in 0..<count {
                    let at = bases[r] + word
                    columns.words[at] = (Double(bitPattern: columns.words[at]) + Double(bitPattern: operand)).bitPattern
                }
            case .avg:
                for r in 0..<count {
                    let at = bases[r] + word
                    columns.words[at] = (Double(bitPattern: columns.words[at]) + Double(bitPattern: operand)).bitPattern
                    columns.words[at + 1] &+= 1
                }
            case .min:
                let v = Double(bitPattern: operand)
                for r in 0..<count {
                    let at = bases[r] + word, current = Double(bitPattern: columns.words[at])
                    if current.isNaN || v < current { columns.words[at] = operand }
                }
            case .max:
                let v = Double(bitPattern: operand)
                for r in 0..<count {
                    let at = bases[r] + word, current = Double(bitPattern: columns.words[at])
                    if current.isNaN || v > current { columns.words[at] = operand }
                }
            case .countBy, .countDistinct:
                let value = Int32(truncatingIfNeeded: operand)
                for r in 0..<count { columns.addCount(of: value, by: 1, at: bases[r] + word) }
            }
        }
    }

    /// Adds the prepared record to `row` of `columns`.
    @inline(__always)
    func apply(to columns: RowColumns, row: Int, width: Int) {
        withUnsafePointer(to: row * width) { apply(to: columns, bases: $0, count: 1) }
    }
}
