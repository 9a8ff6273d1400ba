/// Window result of `customer-analytics` (docs/bss-jobs.md §3).
struct RefCustomerWindow: RefWindowAggregate {
    struct Event {
        let eventType: String
        let amount: Double?
    }

    private(set) var eventCount = 0
    private(set) var amounts: [Double] = []
    private(set) var eventTypes: [String: Int] = [:]

    mutating func add(_ event: Event) {
        eventCount += 1
        if let amount = event.amount { amounts.append(amount) }
        eventTypes[event.eventType, default: 0] += 1
    }

    /// `data` of the output record; amounts are summed in arrival order.
    func data(customer: String, start: Int64, end: Int64, revision: Int) -> [String: RefJSON] {
        let total = amounts.reduce(0, +)
        let hasAmounts = !amounts.isEmpty
        return [
            "customerId": .string(customer),
            "windowStart": .string(RefEventTime.format(start)),
            "windowEnd": .string(RefEventTime.format(end)),
            "eventCount": .number(Double(eventCount)),
            "amountCount": .number(Double(amounts.count)),
            "totalAmount": .number(total),
            "avgAmount": hasAmounts ? .number(total / Double(amounts.count)) : .null,
            "minAmount": hasAmounts ? .number(amounts.min()!) : .null,
            "maxAmount": hasAmounts ? .number(amounts.max()!) : .null,
            "eventTypes": .object(eventTypes.mapValues { .number(Double($0)) }),
            "revision": .number(Double(revision)),
        ]
    }
}
