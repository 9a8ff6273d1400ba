/// A validated input record (docs/bss-jobs.md §1, §7): its grouping key, event time and `data`.
///
/// Validation failures carry a reason; the reason's wording is not part of the contract.
struct RefInputEvent {
    struct Invalid: Error {
        let reason: String
    }

    enum FieldType { case string, number }

    struct Field {
        let name: String
        let type: FieldType
        let required: Bool
    }

    static let customerFields: [Field] = [
        Field(name: "customerId", type: .string, required: true),
        Field(name: "eventType", type: .string, required: true),
        Field(name: "amount", type: .number, required: false),
        Field(name: "channel", type: .string, required: false),
    ]

    static let orderFields: [Field] = [
        Field(name: "orderId", type: .string, required: true),
        Field(name: "customerId", type: .string, required: true),
        Field(name: "status", type: .string, required: true),
        Field(name: "amount", type: .number, required: true),
        Field(name: "currency", type: .string, required: false),
        Field(name: "paymentMethod", type: .string, required: false),
    ]

    let customerId: String
    let time: Int64
    /// The `data` members named in the field list that are present and not null.
    let data: [String: RefJSON]

    init(value: [UInt8], fields: [Field]) throws {
        let root: RefJSON
        do {
            root = try RefJSONParser.parse(value)
        } catch let failure as RefJSONParser.Failure {
            throw Invalid(reason: "invalid JSON: \(failure.message)")
        }
        guard case .object = root else { throw Invalid(reason: "not a JSON object") }
        for name in ["specversion", "id", "source", "type", "time"] {
            guard case .string = root[name] else { throw Invalid(reason: "envelope field \(name) missing or not a string") }
        }
        guard case .string(let timeText) = root["time"], let time = RefEventTime.parse(timeText) else {
            throw Invalid(reason: "unparseable time")
        }
        var present: [String: RefJSON] = [:]
        for field in fields {
            let value = root["data"]?[field.name] ?? .null
            switch (value, field.type) {
            case (.null, _):
                if field.required { throw Invalid(reason: "data.\(field.name) missing") }
            case (.string, .string):
                present[field.name] = value
            case (.number(let number), .number):
                guard number.isFinite else { throw Invalid(reason: "data.\(field.name) not finite") }
                present[field.name] = value
            default:
                throw Invalid(reason: "data.\(field.name) has the wrong type")
            }
        }
        guard case .string(let customerId) = present["customerId"] else { throw Invalid(reason: "data.customerId missing") }
        self.customerId = customerId
        self.time = time
        self.data = present
    }

    func string(_ name: String) -> String? {
        if case .string(let text) = data[name] { return text }
        return nil
    }

    func number(_ name: String) -> Double? {
        if case .number(let number) = data[name] { return number }
        return nil
    }
}
