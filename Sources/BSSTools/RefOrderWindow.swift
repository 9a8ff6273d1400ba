/// Window result of `order-fraud` (docs/bss-jobs.md §4).
struct RefOrderWindow: RefWindowAggregate {
    struct Event {
        let status: String
        let amount: Double
    }

    private(set) var orderCount = 0
    private(set) var createdCount = 0
    /// Summed in arrival order.
    private(set) var createdAmount = 0.0
    private(set) var statusCounts: [String: Int] = [:]

    mutating func add(_ event: Event) {
        orderCount += 1
        if event.status == "CREATED" {
            createdCount += 1
            createdAmount += event.amount
        }
        statusCounts[event.status, default: 0] += 1
    }

    func data(customer: String, start: Int64, end: Int64, revision: Int) -> [String: RefJSON] {
        [
            "customerId": .string(customer),
            "windowStart": .string(RefEventTime.format(start)),
            "windowEnd": .string(RefEventTime.format(end)),
            "orderCount": .number(Double(orderCount)),
            "createdCount": .number(Double(createdCount)),
            "createdAmount": .number(createdAmount),
            "statusCounts": .object(statusCounts.mapValues { .number(Double($0)) }),
            "revision": .number(Double(revision)),
        ]
    }
}
