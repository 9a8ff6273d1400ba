/// The values of one countBy table as a result writes them: each value's `"name":` bytes,
/// escaped once, and its rank in byte order. A job sees a handful of values (statuses, event
/// types) in millions of results, so a firing neither escapes nor compares names.
///
/// Value tables only ever append (ids never change), so entries stay valid; they are added when
/// a firing finds the table grown. Confined to the task's thread.
final class CountByValueNames {
    /// `"name":` of every value, by id, back to back.
    @exclusivity(unchecked) private var members: [UInt8] = []
    /// Value id i's member is `members[offsets[i]..<offsets[i + 1]]`.
    @exclusivity(unchecked) private var offsets: [Int] = [0]
    /// Value id -> position in byte order of the values.
    @exclusivity(unchecked) private var ranks: [Int32] = []
    /// The ids a row counts inline (`CountByRow`), in byte order of their values.
    @exclusivity(unchecked) private(set) var inlineIdsInByteOrder: [Int32] = []
    /// Most bytes a countBy object of inline counts only takes: every inline value present.
    @exclusivity(unchecked) private(set) var inlineCountsBound = 2

    var count: Int { ranks.count }

    /// Catches up with the values `table` gained since `count` was last equal to its count.
    func add(from table: KeyTable) {
        var w = JSONWriter()
        for id in ranks.count..<table.count {
            w.bytes.removeAll(keepingCapacity: true)
            table.withKey(Int32(id)) { w.string(bytes: $0) }
            members.append(contentsOf: w.bytes)
            members.append(UInt8(ascii: ":"))
            offsets.append(members.count)
        }
        let order = (0..<Int32(table.count)).sorted { table.lessThan($0, $1) }
        ranks = Array(repeating: 0, count: table.count)
        for (rank, id) in order.enumerated() { ranks[Int(id)] = Int32(rank) }
        inlineIdsInByteOrder = order.filter { $0 < CountByRow.inlineValues }
        inlineCountsBound = inlineIdsInByteOrder.reduce(2) { $0 + memberCount($1) + 1 + ByteCursor.intBound }
    }

    @inline(__always)
    func rank(_ id: Int32) -> Int32 { ranks[Int(id)] }

    @inline(__always)
    func memberCount(_ id: Int32) -> Int { offsets[Int(id) + 1] - offsets[Int(id)] }

    @inline(__always)
    func withMember<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let lo = offsets[Int(id)], hi = offsets[Int(id) + 1]
        return members.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }
}
