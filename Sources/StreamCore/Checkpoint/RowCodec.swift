/// The stored form of one aggregate row, shared by every operator's checkpoint: firings, then the
/// row's words, with each countBy's counts (inline and listed) written out as (value, count) pairs,
/// since value ids are not stable across a restore.
enum RowCodec {
    static func encode(_ columns: RowColumns, row: Int, layout: AggregateLayout, values: [KeyTable],
                       into out: inout ByteWriter) {
        out.append(columns.firings[row])
        let base = row * layout.width
        for slot in layout.slots {
            if slot.kind.keepsValueCounts {
                out.append(UInt32(columns.valueCount(at: base + slot.word)))
                columns.forEachCount(at: base + slot.word) { value, count in
                    values[slot.countBy].withKey(value) { out.append(bytes: $0) }
                    out.append(count)
                }
            } else {
                let words = slot.kind == .avg ? 2 : 1
                for i in 0..<words { out.append(columns.words[base + slot.word + i]) }
            }
        }
    }

    /// Reads what `encode` wrote into the empty `row`, interning countBy values in `values`.
    static func decode(_ columns: RowColumns, row: Int, layout: AggregateLayout, values: inout [KeyTable],
                       from reader: inout ByteReader) {
        columns.firings[row] = reader.read(Int32.self)
        let base = row * layout.width
        for slot in layout.slots {
            if slot.kind.keepsValueCounts {
                for _ in 0..<reader.read(UInt32.self) {
                    let value = values[slot.countBy].intern(reader.readBytes())
                    columns.addCount(of: value, by: reader.read(Int64.self), at: base + slot.word)
                }
            } else {
                let words = slot.kind == .avg ? 2 : 1
                for i in 0..<words { columns.words[base + slot.word + i] = reader.read(UInt64.self) }
            }
        }
    }
}
