/// A CloudEvents 1.0 JSON object under construction, member by member, so bad-record
/// kinds can remove or replace single members before the bytes are made.
struct EventDraft {
    /// Envelope members in order; each value is raw JSON text.
    var envelope: [(name: String, json: [UInt8])]
    /// Members of `data` in order.
    var data: [(name: String, json: [UInt8])]

    init(id: String, source: String, type: String, time: String, subject: String) {
        envelope = [
            ("specversion", Self.string("1.0")), ("id", Self.string(id)), ("source", Self.string(source)),
            ("type", Self.string(type)), ("time", Self.string(time)), ("subject", Self.string(subject)),
            ("datacontenttype", Self.string("application/json")),
        ]
        data = []
    }

    /// A JSON string literal; the generator's strings need no escaping.
    static func string(_ text: String) -> [UInt8] { Array("\"\(text)\"".utf8) }

    /// Cents as a JSON number with two decimals, as a shop would write prices.
    static func amount(cents: Int) -> [UInt8] {
        let fraction = cents % 100
        return Array("\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)".utf8)
    }

    mutating func set(_ name: String, _ json: [UInt8], inData: Bool) {
        if inData {
            if let index = data.firstIndex(where: { $0.name == name }) { data[index].json = json } else { data.append((name, json)) }
        } else if let index = envelope.firstIndex(where: { $0.name == name }) {
            envelope[index].json = json
        } else {
            envelope.append((name, json))
        }
    }

    mutating func remove(_ name: String, inData: Bool) {
        if inData { data.removeAll { $0.name == name } } else { envelope.removeAll { $0.name == name } }
    }

    var bytes: [UInt8] {
        func object(_ members: [(name: String, json: [UInt8])]) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "{")]
            for (position, member) in members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out += Self.string(member.name) + [UInt8(ascii: ":")] + member.json
            }
            return out + [UInt8(ascii: "}")]
        }
        // A bad record may replace `data` itself with an envelope member of that name.
        let hasData = envelope.contains { $0.name == "data" }
        return object(hasData ? envelope : envelope + [("data", object(data))])
    }
}
