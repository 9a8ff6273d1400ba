import Testing
@testable import BSSTools

@Suite("Reference order-fraud (docs/bss-jobs.md §2, §4)")
struct OrderFraudReferenceTests {
    private let analytics = "bss.analytics.events"
    private let alerts = "bss.fraud.alerts"

    private func run(_ values: [[UInt8]]) -> [ExpectedRecord] {
        SpecReference.orderFraud(partition(0, values, key: "C000007"))
    }

    @Test("Window result fields: counts, CREATED amount, status counts of occurring statuses only")
    func windowResult() {
        let out = run([orderEvent(at: at(0, 10), amount: "20.5"), orderEvent(at: at(0, 20), status: "PAID"),
                       orderEvent(at: at(0, 30), amount: "30")])
        let results = out.on(analytics)
        #expect(results.count == 10)
        let first = data(results[0])
        #expect(first["windowStart"] == .string("2025-11-04T09:51:00.000Z"))
        #expect(first["windowEnd"] == .string("2025-11-04T10:01:00.000Z"))
        #expect(first["orderCount"] == .number(3))
        #expect(first["createdCount"] == .number(2))
        #expect(first["createdAmount"] == .number(50.5))
        #expect(first["statusCounts"] == .object(["CREATED": .number(2), "PAID": .number(1)]))
        #expect(json(results[0])["type"] == .string("bss.analytics.order.window"))
        #expect(out.on(alerts).isEmpty)
    }

    @Test("One burst of 5 CREATED orders trips ten windows but raises one alert")
    func oneBurstOneAlert() {
        let out = run((1...5).map { orderEvent(at: at(0, $0 * 10)) })
        #expect(out.on(analytics).count == 10)
        let raised = out.on(alerts)
        #expect(raised.count == 1)
        let alert = json(raised[0])
        #expect(alert["id"] == .string("order-fraud:C000007:\(at(-9)):VELOCITY"))
        #expect(alert["type"] == .string("bss.fraud.alert"))
        #expect(alert["source"] == .string("/stream/order-fraud"))
        #expect(alert["time"] == .string("2025-11-04T10:01:00.000Z"))
        #expect(alert["subject"] == .string("C000007"))
        #expect(alert["data"] == .object([
            "customerId": .string("C000007"), "rule": .string("VELOCITY"), "value": .number(5), "threshold": .number(5),
            "windowStart": .string("2025-11-04T09:51:00.000Z"), "windowEnd": .string("2025-11-04T10:01:00.000Z"),
            "severity": .string("MEDIUM"),
        ]))
    }

    @Test("An alert is raised on the first window that trips after one that fired without tripping")
    func alertAfterNonTrippingWindow() {
        var values = (1...4).map { orderEvent(at: at(0, $0 * 10)) }
        values.append(orderEvent(at: at(5, 30)))
        let out = run(values)
        let raised = out.on(alerts)
        #expect(raised.map { json($0)["id"]?.string } == ["order-fraud:C000007:\(at(-4)):VELOCITY"])
        let previous = out.on(analytics).first { json($0)["id"]?.string == "order-fraud:C000007:\(at(-5)):0" }
        #expect(previous.map { data($0)["createdCount"] } == .number(4))
    }

    @Test("A second burst after the windows stop tripping raises a second alert")
    func secondBurst() {
        let out = run((1...5).map { orderEvent(at: at(0, $0 * 5)) } + (1...5).map { orderEvent(at: at(15, $0 * 5)) })
        #expect(out.on(alerts).map { json($0)["id"]?.string } == [
            "order-fraud:C000007:\(at(-9)):VELOCITY", "order-fraud:C000007:\(at(6)):VELOCITY",
        ])
    }

    @Test("HIGH_VALUE uses createdAmount with severity HIGH; PAYMENT_FAILURES counts failures")
    func otherRules() {
        let out = run([orderEvent(at: at(0, 10), amount: "6000.00"), orderEvent(at: at(0, 20), amount: "4500.50"),
                       orderEvent(at: at(0, 30), status: "PAYMENT_FAILED"), orderEvent(at: at(0, 40), status: "PAYMENT_FAILED"),
                       orderEvent(at: at(0, 50), status: "PAYMENT_FAILED")])
        let raised = out.on(alerts).map { data($0) }
        #expect(raised.map { $0["rule"]?.string } == ["HIGH_VALUE", "PAYMENT_FAILURES"])
        #expect(raised[0]["value"] == .number(10500.5))
        #expect(raised[0]["threshold"] == .number(10000))
        #expect(raised[0]["severity"] == .string("HIGH"))
        #expect(raised[1]["value"] == .number(3))
        #expect(raised[1]["severity"] == .string("MEDIUM"))
    }

    @Test("A sliding record late for some windows updates only the others and is not a late record")
    func partlyLate() {
        let out = run([orderEvent(at: at(0, 30)), orderEvent("C000008", at: at(3, 5, 1), status: "PAID"),  // W = 10:03:00.000
                       orderEvent(at: at(0, 40))])
        #expect(out.on("bss.order.events.late").isEmpty)
        let counts = out.on(analytics).filter { $0.key == "C000007" }
            .map { data($0)["orderCount"]!.number! }
        // Windows ending 10:01, 10:02, 10:03 fired before the record; the seven others include it.
        #expect(counts == [1, 1, 1, 2, 2, 2, 2, 2, 2, 2])
    }

    @Test("A record all of whose sliding windows are late goes to the late topic unchanged")
    func fullyLate() {
        let lateValue = orderEvent(at: at(0, 40))
        let out = run([orderEvent(at: at(0, 30)), orderEvent("C000008", at: at(10, 5, 1), status: "PAID"), lateValue])
        #expect(out.on("bss.order.events.late") == [
            ExpectedRecord(topic: "bss.order.events.late", key: "C000007", value: String(decoding: lateValue, as: UTF8.self)),
        ])
        #expect(out.on(analytics).filter { $0.key == "C000007" }
            .allSatisfy { data($0)["orderCount"] == .number(1) })
    }
}
