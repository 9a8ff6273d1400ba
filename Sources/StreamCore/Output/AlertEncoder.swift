/// Writes one threshold-rule alert as a CloudEvent (docs/bss-jobs.md §4): id `<job>:<key>:<windowStart>:<rule>`.
struct AlertEncoder: Sendable {
    private let idPrefix: [UInt8]
    private let afterId: [UInt8]
    private let dataOpen: [UInt8]

    init(job: String, rules: RulesSpec, keyName: String) {
        idPrefix = Array("{\"specversion\":\"1.0\",\"id\":\"".utf8) + JSONText.escaped(job) + [UInt8(ascii: ":")]
        afterId = Array("\",\"source\":".utf8) + JSONText.quoted(rules.source)
            + Array(",\"type\":".utf8) + JSONText.quoted(rules.type) + Array(",\"time\":".utf8)
        dataOpen = Array(",\"datacontenttype\":\"application/json\",\"data\":{".utf8) + JSONText.quoted(keyName) + [UInt8(ascii: ":")]
    }

    func encode(into batch: inout OutputBatch, key: UnsafeRawBufferPointer, start: Int64, end: Int64,
                rule: CompiledRule, value: AggregateValue) {
        let marks = batch.beginRecord(key: key)
        write(&batch.writer, key: key, start: start, end: end, rule: rule, value: value)
        batch.endRecord(.alert, marks)
    }

    private func write(_ w: inout JSONWriter, key: UnsafeRawBufferPointer, start: Int64, end: Int64,
                       rule: CompiledRule, value: AggregateValue) {
        w.bytes.append(contentsOf: idPrefix)
        w.escapedContent(bytes: key)
        w.bytes.append(UInt8(ascii: ":"))
        w.int(start)
        w.bytes.append(UInt8(ascii: ":"))
        w.bytes.append(contentsOf: rule.escapedName)
        w.bytes.append(contentsOf: afterId)
        w.timestamp(millis: end)
        w.raw(",\"subject\":")
        w.string(bytes: key)
        w.bytes.append(contentsOf: dataOpen)
        w.string(bytes: key)
        w.raw(",\"rule\":\"")
        w.bytes.append(contentsOf: rule.escapedName)
        w.raw("\",\"value\":")
        switch value {
        case .integer(let n): w.int(n)
        case .real(let d): w.double(d)
        }
        w.raw(",\"threshold\":")
        rule.writeThreshold(&w)
        w.raw(",\"windowStart\":")
        w.timestamp(millis: start)
        w.raw(",\"windowEnd\":")
        w.timestamp(millis: end)
        w.raw(",\"severity\":")
        w.bytes.append(contentsOf: rule.quotedSeverity)
        w.raw("}}")
    }
}
