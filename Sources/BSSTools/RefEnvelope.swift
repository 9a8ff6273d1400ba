/// The CloudEvents envelope every output record carries (docs/bss-jobs.md §3, §4, §7).
enum RefEnvelope {
    static func wrap(id: String, source: String, type: String, time: Int64, subject: String,
                     data: [String: RefJSON]) -> RefJSON {
        .object([
            "specversion": .string("1.0"),
            "id": .string(id),
            "source": .string(source),
            "type": .string(type),
            "time": .string(RefEventTime.format(time)),
            "subject": .string(subject),
            "datacontenttype": .string("application/json"),
            "data": .object(data),
        ])
    }
}
