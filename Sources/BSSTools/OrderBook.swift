/// Normal (non-fraud) order traffic: each customer's orders move through a lifecycle,
/// and creations and payment failures are rate-limited per customer so that ordinary
/// customers never trip the fraud rules — alerts come from the planned bursts.
///
/// At high rates per customer the limits bind and a customer with nothing to do
/// re-sends a fulfilment status of its last order (carrier tracking updates).
struct OrderBook {
    struct Order {
        let id: String
        let cents: Int
        let currency: String
        let paymentMethod: String
        var stage: String
    }

    struct Event {
        let order: Order
        let status: String
    }

    /// Two creations (or failures) at most per customer in any 11 minutes, so never
    /// three in one 10-minute window even with disorder.
    private static let spacingMs: Int64 = 660_000
    private static let limit = 2

    private var orders: [Order?]
    private var created: [[Int64]]
    private var failed: [[Int64]]
    private var nextOrderNumber = 1

    init(customers: Int) {
        orders = Array(repeating: nil, count: customers)
        created = Array(repeating: [], count: customers)
        failed = Array(repeating: [], count: customers)
    }

    mutating func newOrderId() -> String {
        defer { nextOrderNumber += 1 }
        let digits = String(nextOrderNumber)
        return "O" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    mutating func next(customer: Int, at base: Int64, random: inout SplitMix64) -> Event {
        guard var order = orders[customer], !["DELIVERED", "CANCELLED", "REFUNDED"].contains(order.stage) else {
            return create(customer: customer, at: base, random: &random)
        }
        let status: String
        switch order.stage {
        case "CREATED":
            let canFail = Self.allows(failed[customer], at: base)
            status = random.weighted([("PAID", 80), ("PAYMENT_FAILED", canFail ? 8 : 0), ("CANCELLED", 12)])
            if status == "PAYMENT_FAILED" { failed[customer] = Self.record(base, in: failed[customer]) }
        case "PAYMENT_FAILED":
            status = random.weighted([("PAID", 60), ("CANCELLED", 40)])
        case "PAID":
            status = random.weighted([("SHIPPED", 92), ("REFUNDED", 8)])
        default:
            status = random.weighted([("DELIVERED", 95), ("REFUNDED", 5)])
        }
        order.stage = status
        orders[customer] = order
        return Event(order: order, status: status)
    }

    private mutating func create(customer: Int, at base: Int64, random: inout SplitMix64) -> Event {
        if let last = orders[customer], !Self.allows(created[customer], at: base) {
            return Event(order: last, status: random.chance(0.5) ? "SHIPPED" : "DELIVERED")
        }
        created[customer] = Self.record(base, in: created[customer])
        let order = Order(id: newOrderId(), cents: 1000 + random.below(49_001),
                          currency: random.chance(0.7) ? "EUR" : "USD",
                          paymentMethod: random.weighted([("card", 60), ("paypal", 25), ("sepa", 10), ("applepay", 5)]),
                          stage: "CREATED")
        orders[customer] = order
        return Event(order: order, status: "CREATED")
    }

    private static func allows(_ times: [Int64], at base: Int64) -> Bool {
        times.count < limit || base - times[0] > spacingMs
    }

    private static func record(_ base: Int64, in times: [Int64]) -> [Int64] {
        Array((times + [base]).suffix(limit))
    }
}
