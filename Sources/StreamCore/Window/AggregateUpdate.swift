/// The change one record makes to a row, worked out once per record and then applied to each of
/// its windows (ten for a sliding job): which aggregations the record counts in (filters and
/// absent fields decided once) and their operands (the number, or the countBy value id).
///
/// Tables are raw memory read without retains or bounds checks; confined to the task's thread.
final class AggregateUpdate {
    private let slots: UnsafeMutablePointer<AggregateLayout.Slot>
    private let slotCount: Int
    /// Per slot: the record's number as bits, or its countBy value id.
    private let operands: UnsafeMutablePointer<UInt64>
    /// Bit i: slot i takes this record.
    private(set) var active: UInt64 = 0

    init(layout: AggregateLayout) {
        precondition(layout.slots.count <= 64, "at most 64 aggregations per job")
        slotCount = layout.slots.count
        slots = .allocate(capacity: max(slotCount, 1))
        slots.initialize(from: layout.slots, count: slotCount)
        operands = .allocate(capacity: max(slotCount, 1))
        operands.initialize(repeating: 0, count: max(slotCount, 1))
    }

    deinit {
        slots.deallocate()
        operands.deallocate()
    }

    /// Reads the record's operands; `filters` has bit i set when filter i holds. A countBy value
    /// is interned in its table here, once per record however many windows it updates.
    @inline(__always)
    func prepare(_ reader: borrowing CloudEventReader, filters: UInt64, values: inout [KeyTable]) {
        var active: UInt64 = 0
        for i in 0..<slotCount {
            let slot = slots[i]
            if slot.filter >= 0 && filters & (1 << UInt64(slot.filter)) == 0 { continue }
            if slot.field < 0 {
                active |= 1 << UInt64(i)
                continue
            }
            switch slot.kind {
            case .countBy:
                guard reader.isPresent(slot.field) else { continue }
                let value = values[slot.countBy].intern(reader.stringBytes(slot.field))
                operands[i] = UInt64(UInt32(bitPattern: value))
            case .count:
                guard reader.isPresent(slot.field) else { continue }
            case .sum, .avg, .min, .max:
                guard reader.isPresent(slot.field) else { continue }
                operands[i] = reader.number(slot.field).bitPattern
            }
            active |= 1 << UInt64(i)
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
            let slot = slots[i]
            let operand = operands[i]
            let word = slot.word
            switch slot.kind {
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
            case .countBy:
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
