import Testing
@testable import BSSTools

@Suite("Reference customer-analytics (docs/bss-jobs.md §2, §3)")
struct CustomerAnalyticsReferenceTests {
    private let analytics = "bss.analytics.events"
    private let late = "bss.customer.events.late"

    @Test("docs/bss-jobs.md §3 example: 7 events, 4 with amounts, give exactly the documented record")
    func specExample() {
        let values = [
            customerEvent(at: at(0, 1)), customerEvent(at: at(0, 20), type: "PURCHASE", amount: "3.0"),
            customerEvent(at: at(1, 5)), customerEvent(at: at(2, 0), type: "PURCHASE", amount: "10.5"),
            customerEvent(at: at(3, 30), type: "PURCHASE", amount: "12.5"), customerEvent(at: at(4, 0)),
            customerEvent(at: at(4, 59, 999), type: "PURCHASE", amount: "25"),
        ]
        let out = SpecReference.customerAnalytics(partition(0, values))
        let spec = """
            {"specversion":"1.0","id":"customer-analytics:C000123:1762250400000:0","source":"/stream/customer-analytics",
             "type":"bss.analytics.customer.window","time":"2025-11-04T10:05:00.000Z","subject":"C000123",
             "datacontenttype":"application/json",
             "data":{"customerId":"C000123","windowStart":"2025-11-04T10:00:00.000Z","windowEnd":"2025-11-04T10:05:00.000Z",
                     "eventCount":7,"amountCount":4,"totalAmount":51.0,"avgAmount":12.75,"minAmount":3.0,"maxAmount":25.0,
                     "eventTypes":{"PAGE_VIEW":3,"PURCHASE":4},"revision":0}}
            """
        #expect(out == [ExpectedRecord(topic: analytics, key: "C000123",
                                       value: SpecReference.canonical(topic: analytics, value: Array(spec.utf8)))])
    }

    @Test("No amounts: total 0, avg/min/max null; a null amount counts as absent")
    func noAmounts() {
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent(at: at(1)), customerEvent(at: at(2), amount: "null")]))
        let result = data(out[0])
        #expect(result["eventCount"] == .number(2))
        #expect(result["amountCount"] == .number(0))
        #expect(result["totalAmount"] == .number(0))
        #expect(result["avgAmount"] == .null && result["minAmount"] == .null && result["maxAmount"] == .null)
    }

    @Test("A record exactly on a boundary belongs to the window starting there")
    func boundary() {
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent(at: at(4, 59, 999)), customerEvent(at: at(5))]))
        #expect(out.map { data($0)["windowStart"]?.string } == ["2025-11-04T10:00:00.000Z", "2025-11-04T10:05:00.000Z"])
        #expect(out.allSatisfy { data($0)["eventCount"] == .number(1) })
    }

    @Test("A window fires when W reaches end - 1, not a millisecond before")
    func firesAtEndMinusOne() {
        let config = RefJob.customerAnalytics().window
        func firings(advancingTo time: Int64) -> Int {
            var windows = RefWindowOperator<RefCustomerWindow>(config: config)
            var count = 0
            let event = RefCustomerWindow.Event(eventType: "LOGIN", amount: nil)
            _ = windows.process(customer: "C1", time: at(1), event: event) { _ in count += 1 }
            _ = windows.process(customer: "C2", time: time, event: event) { _ in count += 1 }
            return count
        }
        // W = t - 5000 - 1, end - 1 = 10:04:59.999
        #expect(firings(advancingTo: at(5, 5)) == 1)
        #expect(firings(advancingTo: at(5, 4, 999)) == 0)
    }

    @Test("A record whose only window has fired is a late record: sent unchanged, result unaffected")
    func lateRecord() {
        let lateValue = customerEvent(at: at(2), type: "PURCHASE", amount: "99.99")
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent(at: at(1)), customerEvent(at: at(6)), lateValue]))
        #expect(out.on(late) == [ExpectedRecord(topic: late, key: "C000123", value: String(decoding: lateValue, as: UTF8.self))])
        let first = out.on(analytics).first { data($0)["windowStart"]?.string == "2025-11-04T10:00:00.000Z" }!
        #expect(data(first)["eventCount"] == .number(1))
    }

    @Test("A record just inside the out-of-orderness bound is not late")
    func notLateWithinBound() {
        // After 10:05:04.999, W = 10:04:59.998 < end - 1, so 10:04:00 still counts.
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent(at: at(5, 4, 999)), customerEvent(at: at(4))]))
        #expect(out.on(late).isEmpty)
        #expect(out.on(analytics).count == 2)
    }

    @Test("Bounded end fires every pending window, in order of end within a partition")
    func boundedEnd() {
        // Partition 0 never moves W past a window end; partition 1 fires one window during the run.
        let p0 = partition(0, [customerEvent("C1", at: at(1)), customerEvent("C1", at: at(4, 59)),
                               customerEvent("C2", at: at(5, 1))])
        let p1 = partition(1, [customerEvent("C3", at: at(3)), customerEvent("C3", at: at(9))])
        let out = SpecReference.customerAnalytics(p0 + p1)
        #expect(out.map(\.key) == ["C1", "C2", "C3", "C3"])
        #expect(out.map { data($0)["windowStart"]?.string } == [
            "2025-11-04T10:00:00.000Z", "2025-11-04T10:05:00.000Z", "2025-11-04T10:00:00.000Z", "2025-11-04T10:05:00.000Z",
        ])
        #expect(data(out[0])["eventCount"] == .number(2))
    }

    @Test("Output records carry the full envelope with id, time = window end and subject")
    func envelope() {
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent("C9", at: at(7))]))
        let value = json(out[0])
        #expect(value["specversion"] == .string("1.0"))
        #expect(value["id"] == .string("customer-analytics:C9:\(at(5)):0"))
        #expect(value["source"] == .string("/stream/customer-analytics"))
        #expect(value["type"] == .string("bss.analytics.customer.window"))
        #expect(value["time"] == .string("2025-11-04T10:10:00.000Z"))
        #expect(value["subject"] == .string("C9"))
        #expect(value["datacontenttype"] == .string("application/json"))
    }

    @Test("Grouping uses data.customerId, not the record key")
    func groupsByDataCustomerId() {
        let out = SpecReference.customerAnalytics(partition(0, [customerEvent("C5", at: at(1))], key: "other"))
        #expect(out.map(\.key) == ["C5"])
    }
}
