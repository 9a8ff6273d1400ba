import Testing
import StreamCore

private func text(_ build: (inout JSONWriter) -> Void) -> String {
    var w = JSONWriter(capacity: 64)
    build(&w)
    return String(decoding: w.bytes, as: UTF8.self)
}

@Suite struct JSONWriterTests {
    @Test("strings are quoted with quotes, backslashes and control characters escaped; other text kept")
    func stringEscaping() {
        let input = "a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F}/é日😀"
        let expected = #""a\"b\\c\n\r\t\b\f\u0001\u001f"# + "\u{7F}/é日😀\""
        #expect(text { $0.string(input) } == expected)
        let fromBytes = text { w in Array(input.utf8).withUnsafeBytes { w.string(bytes: $0) } }
        #expect(fromBytes == expected)
        #expect(text { $0.string("") } == #""""#)
    }

    @Test("integers in full Int64 range")
    func integers() {
        #expect(text { $0.int(0) } == "0")
        #expect(text { $0.int(-42) } == "-42")
        #expect(text { $0.int(Int64.max) } == "9223372036854775807")
        #expect(text { $0.int(Int64.min) } == "-9223372036854775808")
    }

    @Test("doubles: shortest round-trip text as Swift's description; -0.0 keeps its sign; NaN/inf are null",
          arguments: [
              (51.0, "51.0"), (12.75, "12.75"), (0.1, "0.1"), (1e21, "1e+21"), (-0.0, "-0.0"), (0.0, "0.0"),
              (1e-05, "1e-05"), (1e20, "1e+20"), (-3.0, "-3.0"), (9_007_199_254_740_992.0, "9007199254740992.0"),
              (1e16, "1e+16"), (0.30000000000000004, "0.30000000000000004"), (-1234.5678, "-1234.5678"),
              (Double.nan, "null"), (Double.infinity, "null"), (-Double.infinity, "null"),
          ])
    func doubles(value: Double, expected: String) {
        #expect(text { $0.double(value) } == expected)
    }

    @Test("double matches description and round-trips for many values")
    func doublesMatchDescription() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let v: Double
            switch i % 3 {
            case 0: v = Double(bitPattern: state)                      // any bit pattern
            case 1: v = Double(Int64(bitPattern: state) >> 20) / 100   // money-like
            default: v = Double(Int64(bitPattern: state) >> 8)         // integral near and past 2^53
            }
            guard v.isFinite else { continue }
            let out = text { $0.double(v) }
            #expect(out == v.description)
            #expect(Double(out)?.bitPattern == v.bitPattern)
        }
    }

    @Test("timestamps are quoted RFC 3339 UTC with milliseconds")
    func timestamp() {
        #expect(text { $0.timestamp(millis: 1_762_250_700_000) } == #""2025-11-04T10:05:00.000Z""#)
    }

    @Test("reset empties the buffer but keeps its capacity; raw appends literally")
    func resetKeepsCapacity() {
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"a\":")
        w.null()
        w.raw("}")
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"a":null}"#)
        let capacity = w.bytes.capacity
        w.reset()
        #expect(w.bytes.isEmpty)
        #expect(w.bytes.capacity == capacity)
    }

    @Test("a CloudEvent written by the writer reads back through RecordReader with the same values")
    func writtenEventReadsBack() {
        var w = JSONWriter()
        w.raw("{\"specversion\":\"1.0\",\"id\":")
        w.string("x:\"1\"")
        w.raw(",\"source\":\"/s\",\"type\":\"t\",\"time\":")
        w.timestamp(millis: 1_709_210_096_789)
        w.raw(",\"data\":{\"customerId\":")
        w.string("C\u{1}\\é")
        w.raw(",\"amount\":")
        w.double(0.30000000000000004)
        w.raw("}}")
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: [
            FieldSpec(path: FieldPath(["data", "customerId"]), type: .string, required: true),
            FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: true),
        ])
        w.bytes.withUnsafeBytes { raw in
            #expect(reader.read(raw) == nil)
            #expect(String(decoding: reader.stringBytes(0), as: UTF8.self) == "C\u{1}\\é")
        }
        #expect(reader.number(1) == 0.30000000000000004)
        #expect(reader.eventTimeMs == 1_709_210_096_789)
    }
}
