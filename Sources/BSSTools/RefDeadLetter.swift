/// Dead-letter value of docs/bss-jobs.md §6; `error` is the placeholder canonical forms use.
enum RefDeadLetter {
    static let topic = "bss.deadletter"
    static let errorPlaceholder = "<error>"
    static let rawLimit = 4096

    static func value(job: String, topic: String, record: InputRecord) -> RefJSON {
        .object([
            "job": .string(job),
            "topic": .string(topic),
            "partition": .number(Double(record.partition)),
            "offset": .number(Double(record.offset)),
            "error": .string(errorPlaceholder),
            "raw": .string(String(decoding: record.value.prefix(rawLimit), as: UTF8.self)),
        ])
    }
}
