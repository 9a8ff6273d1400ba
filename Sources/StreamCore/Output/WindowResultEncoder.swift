/// Writes one fired (key, window) for one sink: a CloudEvent (docs/bss-jobs.md, "Output") with the
/// job's aggregations in `data`, or in the `json` format that `data` object alone. Constant parts
/// are rendered once at init.
final class WindowResultEncoder {
    private let idPrefix: [UInt8]          // {"specversion":"1.0","id":"<job>:
    private let afterId: [UInt8]           // ","source":"…","type":"…","time":
    private let subjectTag: [UInt8]        // ,"subject":
    private let dataOpen: [UInt8]          // ,"datacontenttype":"application/json","data":{"<keyName>":
    private let jsonOpen: [UInt8]          // {"<keyName>":
    private let envelope: Bool
    private let stream: OutputBatch.Stream
    private let aggregationTags: [[UInt8]] // ,"<name>":
    private static let windowStartTag = Array(",\"windowStart\":".utf8)
    private static let windowEndTag = Array(",\"windowEnd\":".utf8)
    private static let revisionTag = Array(",\"revision\":".utf8)
    private static let rankTag = Array(",\"rank\":".utf8)
    /// Bytes of the envelope and window times apart from the key, ids and times.
    private let envelopeConstants: Int
    /// The layout's slots in raw memory: reading them copies (and retains) no array.
    private let slots: UnsafeMutableBufferPointer<AggregateLayout.Slot>
    private let width: Int
    /// Per slot i: the first countBy aggregation at or after i (or the end), and the most bytes
    /// `putScalars` writes from i up to it; worked out once, read per result.
    private let runs: UnsafeMutableBufferPointer<(end: Int, bound: Int)>
    /// Per countBy table, its values' written names and byte order.
    private let valueNames: [CountByValueNames]
    /// The id's `<windowStart ms>` of the window last written: a firing writes all its results
    /// with one start, so its digits are worked out once per window, not once per result.
    private var startDigits: (start: Int64, digits: [UInt8]) = (0, [UInt8(ascii: "0")])

    init(job: String, sink: SinkSpec, stream: OutputBatch.Stream, keyName: String, aggregations: [AggregationSpec],
         layout: AggregateLayout) {
        envelope = sink.format == .cloudevents
        self.stream = stream
        idPrefix = Array("{\"specversion\":\"1.0\",\"id\":\"".utf8) + JSONText.escaped(job) + [UInt8(ascii: ":")]
        afterId = Array("\",\"source\":".utf8) + JSONText.quoted(sink.source)
            + Array(",\"type\":".utf8) + JSONText.quoted(sink.type) + Array(",\"time\":".utf8)
        subjectTag = Array(",\"subject\":".utf8)
        dataOpen = Array(",\"datacontenttype\":\"application/json\",\"data\":{".utf8) + JSONText.quoted(keyName) + [UInt8(ascii: ":")]
        jsonOpen = [UInt8(ascii: "{")] + JSONText.quoted(keyName) + [UInt8(ascii: ":")]
        aggregationTags = aggregations.map { [UInt8(ascii: ",")] + JSONText.quoted($0.name) + [UInt8(ascii: ":")] }
        envelopeConstants = idPrefix.count + afterId.count + subjectTag.count + dataOpen.count
            + Self.windowStartTag.count + Self.windowEndTag.count
        slots = .allocate(capacity: layout.slots.count)
        _ = slots.initialize(from: layout.slots)
        runs = .allocate(capacity: layout.slots.count + 1)
        for i in 0...layout.slots.count {
            let end = Self.scalarRunEnd(from: i, slots: layout.slots)
            runs[i] = (end, Self.scalarRunBound(from: i, to: end, tags: aggregationTags))
        }
        width = layout.width
        valueNames = (0..<layout.countByTables).map { _ in CountByValueNames() }
    }

    deinit {
        slots.deallocate()
        runs.deallocate()
    }

    /// Writes the result of `row` of `columns` for the window `[start, end)`; a `rank` above 0
    /// (a top-N window's) is written after the revision.
    func encode(into batch: inout OutputBatch, key: UnsafeRawBufferPointer, start: Int64, end: Int64,
                columns: RowColumns, row: Int, revision: Int32, rank: Int, values: [KeyTable]) {
        let marks = batch.beginRecord(key: key)
        write(&batch.writer, key: key, start: start, end: end, columns: columns, row: row, revision: revision,
              rank: rank, values: values, scratch: &batch.countScratch)
        batch.endRecord(stream, marks)
    }

    private func write(_ w: inout JSONWriter, key: UnsafeRawBufferPointer, start startMs: Int64, end endMs: Int64,
                       columns: RowColumns, row: Int, revision: Int32, rank: Int, values: [KeyTable],
                       scratch: inout [CountEntry]) {
        let base = row * width
        // The envelope and the aggregations up to the first countBy, through one reservation: key
        // three times, two ids, three timestamps, then tags and numbers.
        let start = w.formattedTimestamp(startMs), end = w.formattedTimestamp(endMs)
        if startDigits.start != startMs { startDigits = (startMs, Array(String(startMs).utf8)) }
        let startId = startDigits.digits
        var runEnd = runs[0].end
        let bound = envelopeConstants + 3 * ByteCursor.escapedBound(key.count) + 6 + 2 * ByteCursor.intBound
            + 3 * ByteCursor.timestampBound + runs[0].bound
        w.appendBounded(maxCount: bound) { c in
            if envelope {
                c.put(idPrefix)
                let keyAt = c.count
                c.putEscaped(key)
                let keyCount = c.count - keyAt
                c.put(UInt8(ascii: ":"))
                c.put(startId)
                c.put(UInt8(ascii: ":"))
                c.putInt(Int64(revision))
                c.put(afterId)
                c.putQuoted(end)
                c.put(subjectTag)
                c.put(UInt8(ascii: "\""))
                c.putAgain(from: keyAt, count: keyCount)
                c.put(UInt8(ascii: "\""))
                c.put(dataOpen)
                c.put(UInt8(ascii: "\""))
                c.putAgain(from: keyAt, count: keyCount)
                c.put(UInt8(ascii: "\""))
            } else {
                c.put(jsonOpen)
                c.put(UInt8(ascii: "\""))
                c.putEscaped(key)
                c.put(UInt8(ascii: "\""))
            }
            c.put(Self.windowStartTag)
            c.putQuoted(start)
            c.put(Self.windowEndTag)
            c.putQuoted(end)
            putScalars(&c, from: 0, to: runEnd, columns: columns, base: base, revision: revision, rank: rank)
        }
        // Each countBy and the aggregations after it, up to the next countBy, through one reservation.
        while runEnd < slots.count {
            let countBy = runEnd
            let names = valueNames[slots[countBy].countBy]
            if names.count != values[slots[countBy].countBy].count { names.add(from: values[slots[countBy].countBy]) }
            let at = base + slots[countBy].word
            // Counts kept only inline are visited in byte order as they are: no sort.
            let inlineOnly = !columns.hasCountByList(at: at)
            let countsBound = inlineOnly ? names.inlineCountsBound
                : sortedCounts(columns, at: at, names: names, into: &scratch)
            runEnd = runs[countBy + 1].end
            let bound = aggregationTags[countBy].count + countsBound + runs[countBy + 1].bound
            w.appendBounded(maxCount: bound) { c in
                c.put(aggregationTags[countBy])
                if inlineOnly {
                    putInlineCounts(&c, columns, at: at, names: names)
                } else {
                    putCounts(&c, scratch, names: names)
                }
                putScalars(&c, from: countBy + 1, to: runEnd, columns: columns, base: base, revision: revision, rank: rank)
            }
        }
    }

    /// The first countBy aggregation at or after `i`, or the end.
    private static func scalarRunEnd(from i: Int, slots: [AggregateLayout.Slot]) -> Int {
        var k = i
        while k < slots.count && slots[k].kind != .countBy { k += 1 }
        return k
    }

    /// Most bytes `putScalars` writes for the aggregations `from..<to`, with the closing part when
    /// they are the last (a rank included).
    private static func scalarRunBound(from: Int, to: Int, tags: [[UInt8]]) -> Int {
        var n = 0
        for k in from..<to { n += tags[k].count + ByteCursor.doubleBound }
        return to == tags.count ? n + revisionTag.count + rankTag.count + 2 * ByteCursor.intBound + 2 : n
    }

    /// Counts, sums, averages, minima and maxima `from..<to`; after the last aggregation, the
    /// revision, the rank of a ranked result and the closing braces.
    @inline(__always)
    private func putScalars(_ c: inout ByteCursor, from: Int, to: Int, columns: RowColumns, base: Int, revision: Int32,
                            rank: Int) {
        for k in from..<to {
            c.put(aggregationTags[k])
            switch slots[k].scalar(in: columns, base: base) {
            case .integer(let n): c.putInt(n)
            case .real(let d): c.putDouble(d)
            case nil: c.put(StaticString("null"))
            }
        }
        if to == slots.count {
            c.put(Self.revisionTag)
            c.putInt(Int64(revision))
            if rank > 0 {
                c.put(Self.rankTag)
                c.putInt(Int64(rank))
            }
            c.put(UInt8(ascii: "}"))
            if envelope { c.put(UInt8(ascii: "}")) }
        }
    }

    /// Puts one countBy list in value byte order into `scratch` (so a replay writes identical
    /// bytes), insertion-sorted by rank in a buffer the batch keeps; returns the most bytes its
    /// object takes.
    private func sortedCounts(_ columns: RowColumns, at word: Int, names: CountByValueNames,
                              into scratch: inout [CountEntry]) -> Int {
        scratch.removeAll(keepingCapacity: true)
        var bound = 2
        columns.forEachCount(at: word) { value, count in
            bound += names.memberCount(value) + 1 + ByteCursor.intBound
            let rank = names.rank(value)
            var i = scratch.count
            scratch.append(CountEntry(value: value, count: count))
            while i > 0 && rank < names.rank(scratch[i - 1].value) {
                scratch.swapAt(i, i - 1)
                i -= 1
            }
        }
        return bound
    }

    /// `{"value":count,…}` of a countBy whose counts are all inline, in value byte order.
    private func putInlineCounts(_ c: inout ByteCursor, _ columns: RowColumns, at word: Int, names: CountByValueNames) {
        c.put(UInt8(ascii: "{"))
        var first = true
        for id in names.inlineIdsInByteOrder {
            let n = columns.inlineCount(of: id, at: word)
            if n == 0 { continue }
            if !first { c.put(UInt8(ascii: ",")) }
            first = false
            names.withMember(id) { c.put($0) }
            c.putInt(n)
        }
        c.put(UInt8(ascii: "}"))
    }

    /// `{"value":count,…}` from the sorted entries.
    private func putCounts(_ c: inout ByteCursor, _ entries: [CountEntry], names: CountByValueNames) {
        c.put(UInt8(ascii: "{"))
        for i in entries.indices {
            if i > 0 { c.put(UInt8(ascii: ",")) }
            names.withMember(entries[i].value) { c.put($0) }
            c.putInt(entries[i].count)
        }
        c.put(UInt8(ascii: "}"))
    }
}

/// One (value id, count) of a countBy aggregation while its JSON object is written.
struct CountEntry: Sendable {
    var value: Int32
    var count: Int64
}
