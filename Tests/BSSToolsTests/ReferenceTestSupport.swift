@testable import BSSTools

/// 2025-11-04T10:00:00.000Z
let tenOClock: Int64 = 1_762_250_400_000
let minute: Int64 = 60_000

func at(_ minutes: Int64, _ seconds: Int64 = 0, _ millis: Int64 = 0) -> Int64 {
    tenOClock + minutes * minute + seconds * 1000 + millis
}

func customerEvent(_ customer: String = "C000123", at time: Int64, type: String = "PAGE_VIEW",
                   amount: String? = nil, timeText: String? = nil) -> [UInt8] {
    let amountMember = amount.map { ",\"amount\":\($0)" } ?? ""
    return Array(("{\"specversion\":\"1.0\",\"id\":\"e-\(customer)-\(time)\",\"source\":\"/bss/customers\","
        + "\"type\":\"bss.customer.event\",\"time\":\"\(timeText ?? RefEventTime.format(time))\",\"subject\":\"\(customer)\","
        + "\"datacontenttype\":\"application/json\",\"data\":{\"customerId\":\"\(customer)\",\"eventType\":\"\(type)\""
        + "\(amountMember),\"channel\":\"web\"}}").utf8)
}

func orderEvent(_ customer: String = "C000007", at time: Int64, status: String = "CREATED",
                amount: String = "100.00") -> [UInt8] {
    Array(("{\"specversion\":\"1.0\",\"id\":\"o-\(customer)-\(time)-\(status)\",\"source\":\"/bss/orders\","
        + "\"type\":\"bss.order.event\",\"time\":\"\(RefEventTime.format(time))\",\"subject\":\"\(customer)\","
        + "\"datacontenttype\":\"application/json\",\"data\":{\"orderId\":\"O-\(time)\",\"customerId\":\"\(customer)\","
        + "\"status\":\"\(status)\",\"amount\":\(amount),\"currency\":\"EUR\"}}").utf8)
}

/// Records of one partition with offsets 0, 1, 2, … and the customer id as key.
func partition(_ number: Int32 = 0, _ values: [[UInt8]], key: String = "C000123") -> [InputRecord] {
    values.enumerated().map { InputRecord(partition: number, offset: Int64($0.offset), key: Array(key.utf8), value: $0.element) }
}

func json(_ record: ExpectedRecord) -> RefJSON {
    try! RefJSONParser.parse(Array(record.value.utf8))
}

func data(_ record: ExpectedRecord) -> RefJSON { json(record)["data"]! }

extension Array where Element == ExpectedRecord {
    func on(_ topic: String) -> [ExpectedRecord] { filter { $0.topic == topic } }
}

extension RefJSON {
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
}
