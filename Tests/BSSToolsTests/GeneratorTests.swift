import Testing
@testable import BSSTools

@Suite("BSSEventGenerator")
struct GeneratorTests {
    private func customerEvents(_ count: Int, _ options: BSSEventGenerator.Options = .init()) -> [GeneratedRecord] {
        var generator = BSSEventGenerator(options: options)
        return (0..<count).map { _ in generator.nextCustomerEvent() }
    }

    private func inputs(_ records: [GeneratedRecord]) -> [InputRecord] {
        var offsets: [Int32: Int64] = [:]
        return records.map { record in
            defer { offsets[record.partition, default: 0] += 1 }
            return InputRecord(partition: record.partition, offset: offsets[record.partition, default: 0],
                               key: record.key, value: record.value)
        }
    }

    @Test("Kafka murmur2 matches librdkafka's java_murmur2_results vectors")
    func murmur2() {
        let vectors: [(String, UInt32)] = [
            ("kafka", 0xD067_CF64), ("giberish123456789", 0x8F55_2B0C), ("1234", 0x9FC9_7B14), ("234", 0xE7C0_09CA),
            ("34", 0x8739_30DA), ("4", 0x5A4B_5CA1), ("PreAmbleWillBeRemoved,ThePrePartThatIs", 0x7842_4F1C),
            ("reAmbleWillBeRemoved,ThePrePartThatIs", 0x4A62_B377), ("", 0x106E_08D9),
        ]
        for (key, hash) in vectors { #expect(Murmur2Partitioner.murmur2(Array(key.utf8)) == hash, "\(key)") }
    }

    @Test("SplitMix64 gives the published sequence for seed 1234567")
    func splitMix() {
        var random = SplitMix64(seed: 1_234_567)
        #expect([random.next(), random.next(), random.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    @Test("The same seed gives the same records; another seed does not")
    func deterministic() {
        var one = BSSEventGenerator(options: .init())
        var two = BSSEventGenerator(options: .init())
        for _ in 0..<3000 {
            let (a, b) = (one.next(), two.next())
            #expect(a.topic == b.topic && a.partition == b.partition && a.key == b.key && a.value == b.value)
        }
        var options = BSSEventGenerator.Options()
        options.seed = 43
        #expect(customerEvents(50).map(\.value) != customerEvents(50, options).map(\.value))
    }

    @Test("A topic's records do not depend on how calls to the other topic are interleaved")
    func topicsIndependent() {
        var mixed = BSSEventGenerator(options: .init())
        var customerOnly: [[UInt8]] = []
        for _ in 0..<500 {
            _ = mixed.nextOrderEvent()
            customerOnly.append(mixed.nextCustomerEvent().value)
        }
        #expect(customerEvents(500).map(\.value) == customerOnly)
    }

    @Test("Every customer's records land in one partition: Kafka's default partition of its id")
    func partitioning() {
        var generator = BSSEventGenerator(options: .init())
        var seen: [[UInt8]: Int32] = [:]
        for _ in 0..<20_000 {
            let record = generator.next()
            #expect(record.partition == BSSEventGenerator.partition(key: record.key, partitions: 4))
            #expect(seen.updateValue(record.partition, forKey: record.key).map { $0 == record.partition } ?? true)
        }
        #expect(Set(seen.values) == [0, 1, 2, 3])
    }

    @Test("Generated values are CloudEvents shaped as docs/bss-jobs.md §1 says, with a key equal to data.customerId")
    func shape() throws {
        var options = BSSEventGenerator.Options()
        options.badFraction = 0
        var generator = BSSEventGenerator(options: options)
        var eventTypes: Set<String> = []
        var statuses: Set<String> = []
        var withAmount = 0
        for _ in 0..<5000 {
            let customer = try RefJSONParser.parse(generator.nextCustomerEvent().value)
            #expect(customer["source"] == .string("/bss/customers") && customer["type"] == .string("bss.customer.event"))
            #expect(customer["subject"] == customer["data"]?["customerId"])
            eventTypes.insert(customer["data"]!["eventType"]!.string!)
            if customer["data"]?["amount"] != nil { withAmount += 1 }
            let order = generator.nextOrderEvent()
            let value = try RefJSONParser.parse(order.value)
            #expect(value["data"]?["customerId"] == .string(String(decoding: order.key, as: UTF8.self)))
            statuses.insert(value["data"]!["status"]!.string!)
        }
        #expect(eventTypes == ["PAGE_VIEW", "PURCHASE", "LOGIN", "ADD_TO_CART", "SUPPORT_CALL"])
        #expect(statuses == ["CREATED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED", "PAYMENT_FAILED"])
        #expect((2700...3300).contains(withAmount))
    }

    @Test("20K generated orders: bursts raise alerts, delayed records become late, every bad record is a dead letter")
    func orderStream() {
        var generator = BSSEventGenerator(options: .init())
        let records = (0..<20_000).map { _ in generator.nextOrderEvent() }
        let out = SpecReference.orderFraud(inputs(records))
        let alerts = out.on("bss.fraud.alerts")
        #expect(alerts.count > 0)
        #expect(Set(alerts.map { data($0)["rule"]!.string! }) == ["VELOCITY", "HIGH_VALUE", "PAYMENT_FAILURES"])
        // Ordinary traffic is rate-limited, so there are no more alerts than bursts.
        #expect(alerts.count <= generator.stats.fraudBursts * 2)
        #expect(out.on("bss.order.events.late").count > 0)
        #expect(out.on("bss.order.events.late").count < generator.stats.delayedRecords)
        #expect(out.on("bss.deadletter").count == generator.stats.badRecords)
        #expect(generator.stats.badRecords > 0)
    }

    @Test("20K generated customer events: late records and exactly the bad records as dead letters")
    func customerStream() {
        var generator = BSSEventGenerator(options: .init())
        let records = (0..<20_000).map { _ in generator.nextCustomerEvent() }
        let out = SpecReference.customerAnalytics(inputs(records))
        #expect(out.on("bss.customer.events.late").count > 0)
        #expect(out.on("bss.deadletter").count == generator.stats.badRecords)
        #expect(generator.stats.badRecords > 0)
        #expect(out.on("bss.analytics.events").count > 1000)
    }
}
