/// A planned fraud burst: orders of one customer, spread over up to 90 s of event time,
/// that trip one rule of docs/bss-jobs.md §4 in the windows containing them.
struct FraudBurst {
    enum Kind: CaseIterable {
        /// 5–8 ordinary CREATED orders.
        case velocity
        /// CREATED orders of 3000–9000 each until they total at least 10000.
        case highValue
        /// One CREATED order, then 3–5 PAYMENT_FAILED for it.
        case paymentFailures
    }

    struct Record {
        /// Sequence number of the order event at which it is due.
        let due: Int64
        let customer: Int
        let orderId: String
        let status: String
        let cents: Int
    }

    static func plan(customer: Int, at sequence: Int64, eventsPerSecond: Int, orders: inout OrderBook,
                     random: inout SplitMix64) -> [Record] {
        var steps: [(orderId: String, status: String, cents: Int)] = []
        switch Kind.allCases[random.below(Kind.allCases.count)] {
        case .velocity:
            for _ in 0..<(5 + random.below(4)) {
                steps.append((orders.newOrderId(), "CREATED", 1000 + random.below(49_001)))
            }
        case .highValue:
            var total = 0
            while total < 1_000_000 {
                let cents = 300_000 + random.below(600_001)
                total += cents
                steps.append((orders.newOrderId(), "CREATED", cents))
            }
        case .paymentFailures:
            let id = orders.newOrderId()
            let cents = 1000 + random.below(49_001)
            steps.append((id, "CREATED", cents))
            for _ in 0..<(3 + random.below(3)) { steps.append((id, "PAYMENT_FAILED", cents)) }
        }
        let spanEvents = Int64(1000 + random.below(89_001)) * Int64(eventsPerSecond) / 1000
        return steps.enumerated().map { position, step in
            let offset = steps.count > 1 ? spanEvents * Int64(position) / Int64(steps.count - 1) : 0
            return Record(due: sequence + offset, customer: customer, orderId: step.orderId, status: step.status,
                          cents: step.cents)
        }
    }
}
