import Testing
@testable import BSSTools

@Suite("Reference allowed lateness and revisions (docs/bss-jobs.md §2)")
struct RevisionReferenceTests {
    @Test("A record after its window fired but within allowed lateness re-fires it at once as revision 1")
    func revision() {
        let values = [
            customerEvent("C1", at: at(1), type: "PURCHASE", amount: "10"),
            customerEvent("C1", at: at(5, 10)),                                   // W = 10:05:04.999: fires rev 0
            customerEvent("C1", at: at(2), type: "PURCHASE", amount: "5"),        // not late: rev 1
            customerEvent("C2", at: at(3)),                                       // new window past its end: rev 0 at once
            customerEvent("C1", at: at(6, 10)),                                   // W = 10:06:04.999: state dropped
            customerEvent("C1", at: at(4)),                                       // late
        ]
        let out = RefCustomerAnalytics.run(partition(0, values), job: .customerAnalytics(allowedLatenessMs: minute))
        let results = out.on("bss.analytics.events").filter { data($0)["windowStart"]?.string == "2025-11-04T10:00:00.000Z" }
        #expect(results.map { json($0)["id"]?.string } == [
            "customer-analytics:C1:\(tenOClock):0", "customer-analytics:C1:\(tenOClock):1", "customer-analytics:C2:\(tenOClock):0",
        ])
        #expect(data(results[1])["eventCount"] == .number(2))
        #expect(data(results[1])["totalAmount"] == .number(15))
        #expect(data(results[1])["revision"] == .number(1))
        #expect(out.on("bss.customer.events.late").count == 1)
    }

    @Test("Without allowed lateness the same record is late and nothing is revised")
    func noRevisionWithoutLateness() {
        let values = [customerEvent("C1", at: at(1)), customerEvent("C1", at: at(5, 10)), customerEvent("C1", at: at(2))]
        let out = SpecReference.customerAnalytics(partition(0, values))
        #expect(out.on("bss.analytics.events").allSatisfy { data($0)["revision"] == .number(0) })
        #expect(out.on("bss.customer.events.late").count == 1)
    }

    @Test("An alert can be raised on a revision; its id has no revision and it is raised once")
    func alertOnRevision() {
        var values = (0..<4).map { orderEvent("C1", at: at(0, 10 + Int64($0) * 10)) }
        values.append(orderEvent("C2", at: at(1, 10), status: "PAID"))         // W = 10:01:04.999: [9:51, 10:01) fires with 4
        values.append(orderEvent("C1", at: at(0, 50)))                         // within lateness: [9:51, 10:01) rev 1 trips
        let out = RefOrderFraud.run(partition(0, values), job: .orderFraud(allowedLatenessMs: 2 * minute))
        let alerts = out.on("bss.fraud.alerts")
        #expect(alerts.map { json($0)["id"]?.string } == ["order-fraud:C1:\(at(-9)):VELOCITY"])
        let revised = out.on("bss.analytics.events").filter { json($0)["id"]?.string == "order-fraud:C1:\(at(-9)):1" }
        #expect(revised.count == 1)
        #expect(data(revised[0])["createdCount"] == .number(5))
    }
}
