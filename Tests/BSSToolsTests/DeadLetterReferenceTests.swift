import Foundation
import Testing
@testable import BSSTools

@Suite("Reference dead letters (docs/bss-jobs.md §1, §6, §7)")
struct DeadLetterReferenceTests {
    private func replacing(_ value: [UInt8], _ target: String, _ replacement: String) -> [UInt8] {
        let text = String(decoding: value, as: UTF8.self)
        let range = text.range(of: target)!
        return Array(text.replacingCharacters(in: range, with: replacement).utf8)
    }

    private var good: [UInt8] { customerEvent(at: at(1), type: "PURCHASE", amount: "12.5") }

    /// One bad record of every kind docs/bss-jobs.md names, each a small change to a good one.
    private var badValues: [(kind: String, value: [UInt8])] {
        [
            ("truncated JSON", Array(good.dropLast(3))),
            ("trailing comma", replacing(good, "}}", "},}")),
            ("byte-order mark", [0xEF, 0xBB, 0xBF] + good),
            ("not an object", Array("[1,2]".utf8)),
            ("missing id", replacing(good, "\"id\":\"e-C000123-\(at(1))\",", "")),
            ("specversion not a string", replacing(good, "\"specversion\":\"1.0\"", "\"specversion\":1.0")),
            ("missing eventType", replacing(good, "\"eventType\":\"PURCHASE\",", "")),
            ("null customerId", replacing(good, "\"customerId\":\"C000123\"", "\"customerId\":null")),
            ("data not an object", replacing(good, "\"data\":{", "\"data\":\"x\",\"d\":{")),
            ("amount as string", replacing(good, "12.5", "\"12.5\"")),
            ("boolean amount", replacing(good, "12.5", "true")),
            ("NaN amount", replacing(good, "12.5", "NaN")),
            ("overflowing amount", replacing(good, "12.5", "1e999")),
            ("channel as number", replacing(good, "\"web\"", "7")),
            ("space for T", replacing(good, "T10:01", " 10:01")),
            ("second 60", replacing(good, "10:01:00.000Z", "10:01:60.000Z")),
            ("no offset", replacing(good, "10:01:00.000Z", "10:01:00.000")),
            ("time as number", replacing(good, "\"2025-11-04T10:01:00.000Z\"", "1762250460000")),
            ("non-UTF-8 bytes", nonUTF8),
        ]
    }

    private var nonUTF8: [UInt8] {
        let marker = Array("PURCHASE".utf8)
        var bytes = good
        let start = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker }!
        bytes.replaceSubrange(start..<start + marker.count, with: [UInt8(ascii: "P"), 0xC3, 0x28])
        return bytes
    }

    @Test("Every kind of bad record becomes one dead letter and changes no result")
    func everyKind() {
        let bad = badValues
        let values = [good] + bad.map(\.value) + [good]
        let out = SpecReference.customerAnalytics(partition(2, values))
        let letters = out.on("bss.deadletter")
        #expect(letters.count == bad.count)
        for (position, letter) in letters.enumerated() {
            let value = json(letter)
            #expect(letter.key == "C000123")
            #expect(value == .object([
                "job": .string("customer-analytics"), "topic": .string("bss.customer.events"), "partition": .number(2),
                "offset": .number(Double(position + 1)), "error": .string("<error>"),
                "raw": .string(String(decoding: bad[position].value, as: UTF8.self)),
            ]), "\(bad[position].kind)")
        }
        let results = out.on("bss.analytics.events")
        #expect(results.count == 1)
        #expect(data(results[0])["eventCount"] == .number(2))
        #expect(data(results[0])["totalAmount"] == .number(25))
    }

    @Test("Order events need orderId, status and a numeric amount")
    func orderRequiredFields() {
        let good = orderEvent(at: at(1))
        let bad = [replacing(good, "\"status\":\"CREATED\",", ""), replacing(good, "\"amount\":100.00", "\"amount\":null"),
                   replacing(good, "\"orderId\":\"O-\(at(1))\"", "\"orderId\":5"), replacing(good, "100.00", "false")]
        let out = SpecReference.orderFraud(partition(0, bad + [good], key: "C000007"))
        #expect(out.on("bss.deadletter").count == 4)
        #expect(out.on("bss.deadletter").allSatisfy { json($0)["job"] == .string("order-fraud") })
        #expect(out.on("bss.analytics.events").count == 10)
    }

    @Test("raw holds the first 4096 bytes, decoded with invalid bytes replaced")
    func rawTruncation() {
        // "é" is two bytes; the cut at 4096 splits the one at 4095.
        let value = Array(String(repeating: "a", count: 4095).utf8) + Array("é".utf8) + Array(repeating: UInt8(ascii: "b"), count: 100)
        let out = SpecReference.customerAnalytics(partition(0, [value]))
        let raw = json(out[0])["raw"]!.string!
        #expect(raw == String(repeating: "a", count: 4095) + "\u{FFFD}")
    }

    @Test("A dead letter from an engine matches the expectation whatever its error text")
    func canonicalMatchesEngineWording() {
        let expected = SpecReference.customerAnalytics(partition(0, [Array("nope".utf8)]))[0]
        let engine = #"{"raw":"nope","offset":0,"partition":0,"topic":"bss.customer.events","job":"customer-analytics","error":"invalid JSON at byte 0"}"#
        #expect(SpecReference.canonical(topic: "bss.deadletter", value: Array(engine.utf8)) == expected.value)
    }
}
