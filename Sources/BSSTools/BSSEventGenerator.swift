/// Deterministic, realistic input for the two BSS jobs (docs/bss-jobs.md §1): CloudEvents JSON
/// on `bss.customer.events` and `bss.order.events`, with ordinary disorder, delayed
/// (partly or wholly late) records, bad records of every kind and fraud bursts.
///
/// The same seed and options give the same records. Each topic has its own random
/// stream and clock: event `n` of a topic is based at `startMillis + n * 1000 / eventsPerSecond`,
/// so one topic's records do not depend on how calls to the other are interleaved.
/// A customer's records always go to `partition(key:partitions:)` of its id: the
/// partition Kafka's default (murmur2) partitioner would choose.
public struct BSSEventGenerator {
    public struct Options: Sendable {
        public var seed: UInt64 = 42
        public var customers: Int = 1000
        public var partitions: Int32 = 4
        /// Event time of the first record of each topic: 2025-11-04T10:00:00Z.
        public var startMillis: Int64 = 1_762_250_400_000
        /// Simulated event-time rate, per topic.
        public var eventsPerSecond: Int = 1000
        /// Ordinary disorder: an event time is up to this much before its base time.
        public var maxDisorderMs: Int64 = 3000
        /// Records delayed 6 s to 20 min, past the 5 s bound: most become late records,
        /// some (sliding windows) are late only for some windows.
        public var lateFraction: Double = 0.002
        /// Bad records, of the kinds of `BadRecordKind`.
        public var badFraction: Double = 0.002
        /// Fraction of order events that start a fraud burst.
        public var fraudBurstFraction: Double = 0.01
        /// Share of order events among the records `next()` returns.
        public var orderEventShare: Double = 0.5
        public init() {}
    }

    /// What the generator has produced so far.
    public struct Stats: Sendable, Equatable {
        public var customerEvents = 0
        public var orderEvents = 0
        public var badRecords = 0
        public var delayedRecords = 0
        public var fraudBursts = 0
    }

    public static let customerTopic = "bss.customer.events"
    public static let orderTopic = "bss.order.events"

    public let options: Options
    public private(set) var stats = Stats()
    private let customerIds: [String]
    private let partitions: [Int32]
    private var customerRandom: SplitMix64
    private var orderRandom: SplitMix64
    private var mixRandom: SplitMix64
    private var orders: OrderBook
    private var pendingBurst: [FraudBurst.Record] = []

    public init(options: Options) {
        precondition(options.customers > 0 && options.partitions > 0 && options.eventsPerSecond > 0)
        self.options = options
        customerIds = (1...options.customers).map { index in
            let digits = String(index)
            return "C" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
        partitions = customerIds.map { Self.partition(key: Array($0.utf8), partitions: options.partitions) }
        var master = SplitMix64(seed: options.seed)
        customerRandom = SplitMix64(seed: master.next())
        orderRandom = SplitMix64(seed: master.next())
        mixRandom = SplitMix64(seed: master.next())
        orders = OrderBook(customers: options.customers)
    }

    /// The partition of a record key: `(murmur2(key) & 0x7fffffff) % partitions`, as Kafka's
    /// Java client and librdkafka's `murmur2_random` choose it.
    public static func partition(key: [UInt8], partitions: Int32) -> Int32 {
        Murmur2Partitioner.partition(key: key, partitions: partitions)
    }

    /// A customer or order event, chosen by `orderEventShare`.
    public mutating func next() -> GeneratedRecord {
        mixRandom.chance(options.orderEventShare) ? nextOrderEvent() : nextCustomerEvent()
    }

    /// Next record for `bss.customer.events`.
    public mutating func nextCustomerEvent() -> GeneratedRecord {
        var random = customerRandom
        defer { customerRandom = random }
        let sequence = Int64(stats.customerEvents)
        stats.customerEvents += 1
        let customer = random.below(options.customers)
        let eventType = random.weighted([("PAGE_VIEW", 40), ("ADD_TO_CART", 20), ("PURCHASE", 25),
                                         ("LOGIN", 10), ("SUPPORT_CALL", 5)])
        // Purchases and cart additions carry a price, a third of page views show one: ~60% overall.
        let hasAmount = eventType == "PURCHASE" || eventType == "ADD_TO_CART"
            || (eventType == "PAGE_VIEW" && random.chance(0.375))
        let cents = 500 + random.below(49_501)
        let channel: String? = random.chance(0.9) ? random.weighted([("web", 50), ("app", 35), ("store", 15)]) : nil
        let customerId = customerIds[customer]
        return makeRecord(topic: Self.customerTopic, source: "/bss/customers", type: "bss.customer.event",
                          sequence: sequence, customer: customer, required: ["customerId", "eventType"],
                          ordinary: true, random: &random) { draft in
            draft.set("customerId", EventDraft.string(customerId), inData: true)
            draft.set("eventType", EventDraft.string(eventType), inData: true)
            if hasAmount { draft.set("amount", EventDraft.amount(cents: cents), inData: true) }
            if let channel { draft.set("channel", EventDraft.string(channel), inData: true) }
        }
    }

    /// Next record for `bss.order.events`: a due fraud-burst record, or a new burst,
    /// or the next step of a customer's ordinary order lifecycle.
    public mutating func nextOrderEvent() -> GeneratedRecord {
        var random = orderRandom
        defer { orderRandom = random }
        let sequence = Int64(stats.orderEvents)
        stats.orderEvents += 1
        if let due = pendingBurst.indices.filter({ pendingBurst[$0].due <= sequence }).min(by: {
            pendingBurst[$0].due < pendingBurst[$1].due
        }) {
            return burstRecord(pendingBurst.remove(at: due), sequence: sequence, random: &random)
        }
        if random.chance(options.fraudBurstFraction) {
            stats.fraudBursts += 1
            var planned = FraudBurst.plan(customer: random.below(options.customers), at: sequence,
                                          eventsPerSecond: options.eventsPerSecond, orders: &orders, random: &random)
            let first = planned.removeFirst()
            pendingBurst += planned
            return burstRecord(first, sequence: sequence, random: &random)
        }
        let customer = random.below(options.customers)
        let base = baseMillis(sequence)
        let event = orders.next(customer: customer, at: base, random: &random)
        let withCurrency = random.chance(0.95)
        let withMethod = random.chance(0.8)
        return orderRecord(sequence: sequence, customer: customer, orderId: event.order.id, status: event.status,
                           cents: event.order.cents, currency: withCurrency ? event.order.currency : nil,
                           paymentMethod: withMethod ? event.order.paymentMethod : nil, ordinary: true, random: &random)
    }

    private mutating func burstRecord(_ record: FraudBurst.Record, sequence: Int64,
                                      random: inout SplitMix64) -> GeneratedRecord {
        orderRecord(sequence: sequence, customer: record.customer, orderId: record.orderId, status: record.status,
                    cents: record.cents, currency: "EUR", paymentMethod: "card", ordinary: false, random: &random)
    }

    private mutating func orderRecord(sequence: Int64, customer: Int, orderId: String, status: String, cents: Int,
                                      currency: String?, paymentMethod: String?, ordinary: Bool,
                                      random: inout SplitMix64) -> GeneratedRecord {
        let customerId = customerIds[customer]
        return makeRecord(topic: Self.orderTopic, source: "/bss/orders", type: "bss.order.event", sequence: sequence,
                   customer: customer, required: ["orderId", "customerId", "status", "amount"],
                   ordinary: ordinary, random: &random) { draft in
            draft.set("orderId", EventDraft.string(orderId), inData: true)
            draft.set("customerId", EventDraft.string(customerId), inData: true)
            draft.set("status", EventDraft.string(status), inData: true)
            draft.set("amount", EventDraft.amount(cents: cents), inData: true)
            if let currency { draft.set("currency", EventDraft.string(currency), inData: true) }
            if let paymentMethod { draft.set("paymentMethod", EventDraft.string(paymentMethod), inData: true) }
        }
    }

    private func baseMillis(_ sequence: Int64) -> Int64 {
        options.startMillis + sequence * 1000 / Int64(options.eventsPerSecond)
    }

    /// Envelope, event time and misbehaviour shared by both topics. Burst records
    /// (`ordinary: false`) are never delayed or bad, so every burst can raise its alert.
    private mutating func makeRecord(topic: String, source: String, type: String, sequence: Int64, customer: Int,
                                     required: [String], ordinary: Bool, random: inout SplitMix64,
                                     fill: (inout EventDraft) -> Void) -> GeneratedRecord {
        let base = baseMillis(sequence)
        let delayed = ordinary && random.chance(options.lateFraction)
        let time = delayed ? base - random.inRange(6000...1_200_000) : base - random.inRange(0...max(0, options.maxDisorderMs))
        if delayed { stats.delayedRecords += 1 }
        var draft = EventDraft(id: Self.uuid(&random), source: source, type: type,
                               time: GeneratedTimeText.make(time, random: &random).text, subject: customerIds[customer])
        fill(&draft)
        var value = draft.bytes
        if ordinary && random.chance(options.badFraction) {
            stats.badRecords += 1
            let kind = BadRecordKind.allCases[random.below(BadRecordKind.allCases.count)]
            value = kind.apply(to: draft, required: required, random: &random)
        }
        return GeneratedRecord(topic: topic, partition: partitions[customer], key: Array(customerIds[customer].utf8),
                               value: value)
    }

    /// A random (version 4) UUID drawn from the seeded stream.
    private static func uuid(_ random: inout SplitMix64) -> String {
        let high = random.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x4000
        let low = random.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        return "\(hex(high >> 32, 8))-\(hex(high >> 16 & 0xFFFF, 4))-\(hex(high & 0xFFFF, 4))-"
            + "\(hex(low >> 48, 4))-\(hex(low & 0xFFFF_FFFF_FFFF, 12))"
    }
}
