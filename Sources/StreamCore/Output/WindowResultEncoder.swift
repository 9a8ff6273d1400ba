/// Writes one fired (key, window) as a CloudEvent (SPEC §3/§4 envelope) with the job's
/// aggregations in `data`. Constant parts are rendered once at init.
struct WindowResultEncoder: Sendable {
    private let idPrefix: [UInt8]          // {"specversion":"1.0","id":"<job>:
    private let afterId: [UInt8]           // ","source":"…","type":"…","time":
    private let subjectTag: [UInt8]        // ,"subject":
    private let dataOpen: [UInt8]          // ,"datacontenttype":"application/json","data":{"<keyName>":
    private let aggregationTags: [[UInt8]] // ,"<name>":
    private static let windowStartTag = Array(",\"windowStart\":".utf8)
    private static let windowEndTag = Array(",\"windowEnd\":".utf8)
    /// Bytes of the envelope and window times apart from the key, ids and times.
    private let envelopeConstants: Int
    private let layout: AggregateLayout

    init(job: String, output: OutputSpec, keyName: String, aggregations: [AggregationSpec], layout: AggregateLayout) {
        idPrefix = Array("{\"specversion\":\"1.0\",\"id\":\"".utf8) + JSONText.escaped(job) + [UInt8(ascii: ":")]
        afterId = Array("\",\"source\":".utf8) + JSONText.quoted(output.source)
            + Array(",\"type\":".utf8) + JSONText.quoted(output.type) + Array(",\"time\":".utf8)
        subjectTag = Array(",\"subject\":".utf8)
        dataOpen = Array(",\"datacontenttype\":\"application/json\",\"data\":{".utf8) + JSONText.quoted(keyName) + [UInt8(ascii: ":")]
        aggregationTags = aggregations.map { [UInt8(ascii: ",")] + JSONText.quoted($0.name) + [UInt8(ascii: ":")] }
        envelopeConstants = idPrefix.count + afterId.count + subjectTag.count + dataOpen.count
            + Self.windowStartTag.count + Self.windowEndTag.count
        self.layout = layout
    }

    func encode(into batch: inout OutputBatch, key: UnsafeRawBufferPointer, window: WindowState, row: Int,
                revision: Int32, values: [KeyTable]) {
        let marks = batch.beginRecord(key: key)
        write(&batch.writer, key: key, window: window, row: row, revision: revision, values: values,
              scratch: &batch.countScratch)
        batch.endRecord(.result, marks)
    }

    private func write(_ w: inout JSONWriter, key: UnsafeRawBufferPointer, window: WindowState, row: Int,
                       revision: Int32, values: [KeyTable], scratch: inout [CountEntry]) {
        // The envelope, through one reservation: key three times, two ids, three timestamps.
        let start = w.formattedTimestamp(window.start), end = w.formattedTimestamp(window.end)
        let bound = envelopeConstants + 3 * ByteCursor.escapedBound(key.count) + 6 + 2 * ByteCursor.intBound
            + 3 * ByteCursor.timestampBound
        w.appendBounded(maxCount: bound) { c in
            c.put(idPrefix)
            c.putEscaped(key)
            c.put(UInt8(ascii: ":"))
            c.putInt(window.start)
            c.put(UInt8(ascii: ":"))
            c.putInt(Int64(revision))
            c.put(afterId)
            c.putQuoted(end)
            c.put(subjectTag)
            c.put(UInt8(ascii: "\""))
            c.putEscaped(key)
            c.put(UInt8(ascii: "\""))
            c.put(dataOpen)
            c.put(UInt8(ascii: "\""))
            c.putEscaped(key)
            c.put(UInt8(ascii: "\""))
            c.put(Self.windowStartTag)
            c.putQuoted(start)
            c.put(Self.windowEndTag)
            c.putQuoted(end)
        }
        let base = row * layout.width
        for (i, slot) in layout.slots.enumerated() {
            w.bytes.append(contentsOf: aggregationTags[i])
            let word = window.words[base + slot.word]
            switch slot.kind {
            case .count:
                w.int(Int64(bitPattern: word))
            case .sum:
                w.double(Double(bitPattern: word))
            case .avg:
                let n = Int64(bitPattern: window.words[base + slot.word + 1])
                if n == 0 { w.null() } else { w.double(Double(bitPattern: word) / Double(n)) }
            case .min, .max:
                let v = Double(bitPattern: word)
                if v.isNaN { w.null() } else { w.double(v) }
            case .countBy:
                writeCounts(&w, head: Int32(truncatingIfNeeded: Int64(bitPattern: word)),
                            arena: window.countBy, values: values[slot.countBy], scratch: &scratch)
            }
        }
        w.raw(",\"revision\":")
        w.int(Int64(revision))
        w.raw("}}")
    }

    /// `{"value":count,…}` in value byte order, so a replay writes identical bytes. The few entries
    /// (one per distinct value) are insertion-sorted in a buffer the batch keeps, so nothing allocates.
    private func writeCounts(_ w: inout JSONWriter, head: Int32, arena: borrowing CountByArena, values: KeyTable,
                             scratch: inout [CountEntry]) {
        scratch.removeAll(keepingCapacity: true)
        arena.forEach(head: head) { value, count in
            var i = scratch.count
            scratch.append(CountEntry(value: value, count: count))
            while i > 0 && values.lessThan(value, scratch[i - 1].value) {
                scratch.swapAt(i, i - 1)
                i -= 1
            }
        }
        w.bytes.append(UInt8(ascii: "{"))
        for i in scratch.indices {
            if i > 0 { w.bytes.append(UInt8(ascii: ",")) }
            values.withKey(scratch[i].value) { w.string(bytes: $0) }
            w.bytes.append(UInt8(ascii: ":"))
            w.int(scratch[i].count)
        }
        w.bytes.append(UInt8(ascii: "}"))
    }
}

/// One (value id, count) of a countBy aggregation while its JSON object is written.
struct CountEntry: Sendable {
    var value: Int32
    var count: Int64
}
