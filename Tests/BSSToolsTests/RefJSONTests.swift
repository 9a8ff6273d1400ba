import Testing
@testable import BSSTools

@Suite("Reference JSON parsing and canonical form")
struct RefJSONTests {
    private func parses(_ text: String) -> Bool { (try? RefJSONParser.parse(Array(text.utf8))) != nil }

    @Test("Rejects what RFC 8259 rejects, including what JSONSerialization lets through")
    func strictness() {
        for text in [#"{"a":1,}"#, "\u{FEFF}{\"a\":1}", #"{"a":01}"#, #"{"a":NaN}"#, #"{"a":1} x"#, "{\"a\":\"x\ty\"}",
                     #"{"a":"\ud800"}"#, #"{"a":.5}"#, #"{"a":1.}"#, #"{a:1}"#, #"[1,]"#, ""] {
            #expect(!parses(text), "\(text)")
        }
        #expect(parses(#" {"a":[1,-0.5e2,true,null,"\u00e9\ud83d\ude00"]} "#))
    }

    @Test("A duplicate key keeps its last value; booleans are not numbers")
    func duplicatesAndBooleans() throws {
        let value = try RefJSONParser.parse(Array(#"{"a":1,"a":true}"#.utf8))
        #expect(value["a"] == .bool(true))
    }

    @Test("Canonical form: key order and 51 vs 51.0 do not matter, strings do")
    func canonicalForm() {
        let a = SpecReference.canonical(topic: "bss.analytics.events", value: Array(#"{"b":51.0,"a":"é"}"#.utf8))
        let b = SpecReference.canonical(topic: "bss.analytics.events", value: Array(#"{"a":"\u00e9","b":51}"#.utf8))
        let c = SpecReference.canonical(topic: "bss.analytics.events", value: Array(#"{"a":"e","b":51}"#.utf8))
        #expect(a == b)
        #expect(a == #"{"a":"\u00e9","b":51}"#)
        #expect(a != c)
        #expect(SpecReference.canonical(topic: "bss.analytics.events", value: Array(#"{"x":12.75}"#.utf8)) == #"{"x":12.75}"#)
    }

    @Test("Late topics compare bytes exactly; dead letters ignore the error wording only")
    func topicSpecificForms() {
        #expect(SpecReference.canonical(topic: "bss.order.events.late", value: Array(#"{"a": 1}"#.utf8)) == #"{"a": 1}"#)
        let one = SpecReference.canonical(topic: "bss.deadletter", value: Array(#"{"error":"bad JSON","raw":"x"}"#.utf8))
        let two = SpecReference.canonical(topic: "bss.deadletter", value: Array(#"{"error":"oops","raw":"x"}"#.utf8))
        let three = SpecReference.canonical(topic: "bss.deadletter", value: Array(#"{"error":"oops","raw":"y"}"#.utf8))
        #expect(one == two)
        #expect(one != three)
    }
}
