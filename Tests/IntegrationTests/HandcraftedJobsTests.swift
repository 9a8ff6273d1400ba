import BSSTools
import Foundation
import StreamCore
import TestSupport
import Testing

private func customerEvent(_ id: String, _ time: String, _ customer: String, _ type: String, amount: Double? = nil) -> (key: String, value: String) {
    let amountField = amount.map { ",\"amount\":\($0)" } ?? ""
    return (customer, """
        {"specversion":"1.0","id":"\(id)","source":"/bss/customers","type":"bss.customer.event","time":"\(time)",\
        "subject":"\(customer)","datacontenttype":"application/json","data":{"customerId":"\(customer)","eventType":"\(type)"\(amountField),"channel":"web"}}
        """)
}

private func orderEvent(_ id: String, _ time: String, _ customer: String, _ status: String, _ amount: Double) -> (key: String, value: String) {
    (customer, """
        {"specversion":"1.0","id":"\(id)","source":"/bss/orders","type":"bss.order.event","time":"\(time)",\
        "subject":"\(customer)","datacontenttype":"application/json","data":{"orderId":"O-\(id)","customerId":"\(customer)","status":"\(status)","amount":\(amount),"currency":"EUR"}}
        """)
}

/// Both BSS jobs on the embedded cluster (Kafka protocol over TCP) with real RocksDB state, on
/// input written by hand, give exactly the records docs/bss-jobs.md defines.
@Suite(.serialized) struct HandcraftedJobsTests {
    func runBounded(_ fixture: ClusterFixture, _ job: String) throws {
        let dir = temporaryDirectory("handcrafted")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LocalJobRunner(jobs: [fixture.job(job)], options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: true, slots: 2, checkpointDir: dir)).run()
    }

    @Test func customerAnalyticsWritesExactWindowResultsLateRecordsAndDeadLetters() throws {
        let fixture = try ClusterFixture()
        let late = customerEvent("e6", "2025-11-04T10:04:00Z", "C1", "PAGE_VIEW")
        try fixture.produce("bss.customer.events", [
            customerEvent("e1", "2025-11-04T10:00:01Z", "C1", "PURCHASE", amount: 10),
            customerEvent("e2", "2025-11-04T11:01:00+01:00", "C1", "PURCHASE", amount: 20.5),
            customerEvent("e3", "2025-11-04T10:02:00.000Z", "C2", "LOGIN"),
            customerEvent("e4", "2025-11-04T10:03:00.999999Z", "C1", "PAGE_VIEW"),
            customerEvent("e5", "2025-11-04T10:05:06Z", "C1", "PAGE_VIEW"),
            late,
            ("C3", "{not json"),
            ("C3", #"{"specversion":"1.0","id":"x","source":"/s","type":"t","time":"2025-11-04T10:00:00Z","data":{"customerId":"C3"}}"#),
        ])
        let started = WallClock.nowMs()
        try runBounded(fixture, "customer-analytics")
        let ended = WallClock.nowMs()

        let analytics = Set(try fixture.values("bss.analytics.events"))
        #expect(analytics == [
            #"{"specversion":"1.0","id":"customer-analytics:C1:1762250400000:0","source":"/stream/customer-analytics","type":"bss.analytics.customer.window","time":"2025-11-04T10:05:00.000Z","subject":"C1","datacontenttype":"application/json","data":{"customerId":"C1","windowStart":"2025-11-04T10:00:00.000Z","windowEnd":"2025-11-04T10:05:00.000Z","eventCount":3,"amountCount":2,"totalAmount":30.5,"avgAmount":15.25,"minAmount":10.0,"maxAmount":20.5,"eventTypes":{"PAGE_VIEW":1,"PURCHASE":2},"revision":0}}"#,
            #"{"specversion":"1.0","id":"customer-analytics:C2:1762250400000:0","source":"/stream/customer-analytics","type":"bss.analytics.customer.window","time":"2025-11-04T10:05:00.000Z","subject":"C2","datacontenttype":"application/json","data":{"customerId":"C2","windowStart":"2025-11-04T10:00:00.000Z","windowEnd":"2025-11-04T10:05:00.000Z","eventCount":1,"amountCount":0,"totalAmount":0.0,"avgAmount":null,"minAmount":null,"maxAmount":null,"eventTypes":{"LOGIN":1},"revision":0}}"#,
            #"{"specversion":"1.0","id":"customer-analytics:C1:1762250700000:0","source":"/stream/customer-analytics","type":"bss.analytics.customer.window","time":"2025-11-04T10:10:00.000Z","subject":"C1","datacontenttype":"application/json","data":{"customerId":"C1","windowStart":"2025-11-04T10:05:00.000Z","windowEnd":"2025-11-04T10:10:00.000Z","eventCount":1,"amountCount":0,"totalAmount":0.0,"avgAmount":null,"minAmount":null,"maxAmount":null,"eventTypes":{"PAGE_VIEW":1},"revision":0}}"#,
        ])

        let lateRecords = try fixture.read("bss.customer.events.late")
        #expect(lateRecords.map { String(decoding: $0.value, as: UTF8.self) } == [late.value])
        #expect(lateRecords.map { String(decoding: $0.key, as: UTF8.self) } == ["C1"])

        let deadLetters = try fixture.read("bss.deadletter")
        #expect(deadLetters.count == 2)
        let c3Partition = Array("C3".utf8).withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: 4) }
        let letters = deadLetters.compactMap { try? JSONSerialization.jsonObject(with: Data($0.value)) as? [String: Any] }
        #expect(letters.compactMap { $0["raw"] as? String }.sorted() == ["{not json", #"{"specversion":"1.0","id":"x","source":"/s","type":"t","time":"2025-11-04T10:00:00Z","data":{"customerId":"C3"}}"#].sorted())
        #expect(letters.allSatisfy { $0["job"] as? String == "customer-analytics" && $0["topic"] as? String == "bss.customer.events" })
        #expect(letters.allSatisfy { $0["partition"] as? Int == Int(c3Partition) })
        #expect(letters.compactMap { $0["error"] as? String }.contains("missing required field data.eventType"))
        #expect(deadLetters.allSatisfy { String(decoding: $0.key, as: UTF8.self) == "C3" })

        // Results say when their window fired, during the run and before they were produced;
        // records no window fired do not.
        let results = try fixture.read("bss.analytics.events")
        #expect(results.count == 3 && results.allSatisfy { firedDuringRunBeforeProduced($0, started, ended) })
        #expect((lateRecords + deadLetters).allSatisfy { $0.firedMs == nil })

        let report = try fixture.verify()
        #expect(report.exact, "\(report.summary)")
    }

    private func firedDuringRunBeforeProduced(_ record: StoredRecord, _ started: Int64, _ ended: Int64) -> Bool {
        guard let fired = record.firedMs, let produced = record.timestampMs else { return false }
        return started <= fired && fired <= produced && produced <= ended
    }

    @Test func orderFraudRaisesOneAlertForABurstAndWritesEverySlidingWindow() throws {
        let fixture = try ClusterFixture()
        try fixture.produce("bss.order.events", (1...5).map {
            orderEvent("o\($0)", "2025-11-04T10:00:\($0)0Z", "C9", "CREATED", 100)
        } + [orderEvent("o6", "2025-11-04T10:00:55Z", "C9", "PAID", 100)])
        let started = WallClock.nowMs()
        try runBounded(fixture, "order-fraud")
        let ended = WallClock.nowMs()
        let alerts = try fixture.read("bss.fraud.alerts")
        #expect(alerts.count == 1 && alerts.allSatisfy { firedDuringRunBeforeProduced($0, started, ended) })
        #expect(try fixture.read("bss.analytics.events").allSatisfy { firedDuringRunBeforeProduced($0, started, ended) })

        #expect(try fixture.values("bss.fraud.alerts") == [
            #"{"specversion":"1.0","id":"order-fraud:C9:1762249860000:VELOCITY","source":"/stream/order-fraud","type":"bss.fraud.alert","time":"2025-11-04T10:01:00.000Z","subject":"C9","datacontenttype":"application/json","data":{"customerId":"C9","rule":"VELOCITY","value":5,"threshold":5,"windowStart":"2025-11-04T09:51:00.000Z","windowEnd":"2025-11-04T10:01:00.000Z","severity":"MEDIUM"}}"#,
        ])
        let windows = try fixture.values("bss.analytics.events")
        #expect(windows.count == 10)
        #expect(windows.contains(
            #"{"specversion":"1.0","id":"order-fraud:C9:1762249860000:0","source":"/stream/order-fraud","type":"bss.analytics.order.window","time":"2025-11-04T10:01:00.000Z","subject":"C9","datacontenttype":"application/json","data":{"customerId":"C9","windowStart":"2025-11-04T09:51:00.000Z","windowEnd":"2025-11-04T10:01:00.000Z","orderCount":6,"createdCount":5,"createdAmount":500.0,"statusCounts":{"CREATED":5,"PAID":1},"revision":0}}"#))
        let report = try fixture.verify()
        #expect(report.exact, "\(report.summary)")
    }
}
