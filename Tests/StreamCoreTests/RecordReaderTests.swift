import Testing
import StreamCore

/// The customer-event fields of docs/bss-jobs.md §1, in this order.
private let customerFields = [
    FieldSpec(path: FieldPath(["data", "customerId"]), type: .string, required: true),
    FieldSpec(path: FieldPath(["data", "eventType"]), type: .string, required: true),
    FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: false),
    FieldSpec(path: FieldPath(["data", "channel"]), type: .string, required: false),
]

/// What one read produced, copied out while the input bytes were alive.
private struct Outcome {
    var bad: String?
    var timeMs: Int64 = 0
    var strings: [String?] = []
    var numbers: [Double?] = []
}

private func read(_ reader: inout RecordReader, bytes: [UInt8], fields: [FieldSpec] = customerFields) -> Outcome {
    // An allocation of exactly the record's size, so a sanitizer run catches any read past its end.
    let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { raw.deallocate() }
    raw.copyBytes(from: bytes)
    return withExtendedLifetime(raw) {
        if let bad = reader.read(UnsafeRawBufferPointer(raw)) { return Outcome(bad: bad.reason) }
        var o = Outcome(timeMs: reader.eventTimeMs)
        for (i, f) in fields.enumerated() {
            let present = reader.isPresent(i)
            o.strings.append(present && f.type == .string ? String(decoding: reader.stringBytes(i), as: UTF8.self) : nil)
            o.numbers.append(present && f.type == .number ? reader.number(i) : nil)
        }
        return o
    }
}

private func read(_ json: String, fields: [FieldSpec] = customerFields) -> Outcome {
    var reader = RecordReader(timeField: FieldPath(["time"]), fields: fields)
    return read(&reader, bytes: Array(json.utf8), fields: fields)
}

/// A record with the given `data` members (JSON text) and `time`.
private func event(data: String = #""customerId":"C1","eventType":"PURCHASE""#,
                   time: String = #""2025-11-04T10:00:00.123Z""#) -> String {
    #"{"specversion":"1.0","id":"e1","source":"/bss/customers","type":"bss.customer.event","time":"#
        + time + #","data":{"# + data + "}}"
}

@Suite struct RecordReaderTests {
    @Test("the docs/bss-jobs.md §1 example record gives its time, customerId, eventType, amount and channel")
    func specExample() {
        let json = #"""
        {"specversion":"1.0","id":"7f0c-1","source":"/bss/customers","type":"bss.customer.event",
         "time":"2025-11-04T10:00:00.123Z","subject":"C000123","datacontenttype":"application/json",
         "data":{"customerId":"C000123","eventType":"PURCHASE","amount":12.5,"channel":"web"}}
        """#
        let o = read(json)
        #expect(o.bad == nil)
        #expect(o.timeMs == 1_762_250_400_123)
        #expect(o.strings == ["C000123", "PURCHASE", nil, "web"])
        #expect(o.numbers == [nil, nil, 12.5, nil])
    }

    @Test("text that is not valid JSON is a bad record with the byte offset", arguments: [
        (event() + "x", "invalid JSON at byte \(event().utf8.count): unexpected data after the value"),
        (event() + "{}", "invalid JSON at byte \(event().utf8.count): unexpected data after the value"),
        (#"{"a" 1}"#, "invalid JSON at byte 5: expected ':'"),
        (#"{"a":1,}"#, "invalid JSON at byte 7: expected a string key"),
        (#"{"a":1 "b":2}"#, "invalid JSON at byte 7: expected ',' or '}'"),
        (#"{"a":[1 2]}"#, "invalid JSON at byte 8: expected ',' or ']'"),
        (#"{"a":[1,]}"#, "invalid JSON at byte 8: expected a value"),
        (#"{'a':1}"#, "invalid JSON at byte 1: expected a string key"),
        (#"{"a":"\x"}"#, "invalid JSON at byte 6: invalid escape"),
        (#"{"a":"\u12G4"}"#, #"invalid JSON at byte 6: invalid \u escape"#),
        ("{\"a\":\"x\ty\"}", "invalid JSON at byte 7: control character in string"),
        ("{\"a\":\"x\ny\"}", "invalid JSON at byte 7: control character in string"),
        (#"{"a":01}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":-01}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":1.}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":.5}"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":1e}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":-}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":+1}"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":NaN}"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":Infinity}"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":-Infinity}"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":tru}"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":nul"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":1"#, "invalid JSON at byte 6: unexpected end of input"),
        (#"{"a":"abc"#, "invalid JSON at byte 9: unexpected end of input"),
        (#"{"a""#, "invalid JSON at byte 4: unexpected end of input"),
        ("{", "invalid JSON at byte 1: unexpected end of input"),
        ("", "invalid JSON at byte 0: unexpected end of input"),
        ("  \n", "invalid JSON at byte 3: unexpected end of input"),
        (#"{"a":1}/*c*/"#, "invalid JSON at byte 7: unexpected data after the value"),
    ])
    func invalidJSON(json: String, reason: String) {
        #expect(read(json).bad == reason)
    }

    @Test("a valid JSON value that is not an object is bad", arguments: [
        "[" + event() + "]", "[]", #""text""#, "42", "null", "true",
    ])
    func notAnObject(json: String) {
        #expect(read(json).bad == "not a JSON object")
    }

    @Test("each CloudEvents attribute and the time must be present strings",
          arguments: ["specversion", "id", "source", "type", "time"])
    func requiredAttributes(name: String) {
        let full = event()
        let missing = full.replacingFirst(#""\#(name)":"#, with: #""x\#(name)":"#)
        #expect(read(missing).bad == "missing required field \(name)")
        let null = full.replacingFirst(#""\#(name)":"#, with: #""\#(name)":null,"x":"#)
        #expect(read(null).bad == "missing required field \(name)")
        let number = full.replacingFirst(#""\#(name)":"#, with: #""\#(name)":1,"x":"#)
        #expect(read(number).bad == "field \(name) is not a string")
    }

    @Test("a missing required data field is bad; a missing optional one is absent")
    func missingFields() {
        #expect(read(event(data: #""eventType":"PURCHASE""#)).bad == "missing required field data.customerId")
        #expect(read(event(data: #""customerId":"C1""#)).bad == "missing required field data.eventType")
        let o = read(event())
        #expect(o.bad == nil)
        #expect(o.numbers[2] == nil)
        #expect(o.strings[3] == nil)
    }

    @Test("null counts as absent: fine for optional fields, missing for required ones")
    func nullFields() {
        let o = read(event(data: #""customerId":"C1","eventType":"X","amount":null,"channel":null"#))
        #expect(o.bad == nil)
        #expect(o.numbers[2] == nil)
        #expect(o.strings[3] == nil)
        #expect(read(event(data: #""customerId":null,"eventType":"X""#)).bad
            == "missing required field data.customerId")
    }

    @Test("a field of the wrong type is bad: a boolean or string is not a number, a number is not a string",
          arguments: [
              (#""customerId":"C1","eventType":"X","amount":true"#, "field data.amount is not a number"),
              (#""customerId":"C1","eventType":"X","amount":"12.5""#, "field data.amount is not a number"),
              (#""customerId":"C1","eventType":"X","amount":[1]"#, "field data.amount is not a number"),
              (#""customerId":"C1","eventType":"X","amount":{"v":1}"#, "field data.amount is not a number"),
              (#""customerId":123,"eventType":"X""#, "field data.customerId is not a string"),
              (#""customerId":"C1","eventType":false"#, "field data.eventType is not a string"),
              (#""customerId":"C1","eventType":"X","channel":{}"#, "field data.channel is not a string"),
          ])
    func wrongTypes(data: String, reason: String) {
        #expect(read(event(data: data)).bad == reason)
    }

    @Test("when data is not an object its fields are absent, so required ones are missing")
    func dataNotObject() {
        for data in [#""data":"C1""#, #""data":[{"customerId":"C1"}]"#, #""data":null"#, #""x":1"#] {
            let json = event().replacingFirst(#""data":{"customerId":"C1","eventType":"PURCHASE"}"#, with: data)
            #expect(read(json).bad == "missing required field data.customerId")
        }
        #expect(read(event(data: #""customerId":"C1","eventType":"X","amount":{"amount":1}"#)).bad
            == "field data.amount is not a number")
    }

    @Test("a repeated key takes its last value, nested fields included")
    func duplicateKeysLastWins() {
        let o = read(event(data: #""customerId":"C1","eventType":"X","customerId":"C2","amount":1,"amount":2"#))
        #expect(o.strings[0] == "C2")
        #expect(o.numbers[2] == 2)
        let replaced = event(data: #""customerId":"C1","eventType":"X","amount":5"#)
            .replacingFirst("}}", with: #"},"data":{"customerId":"C9","eventType":"Y"}}"#)
        let r = read(replaced)
        #expect(r.bad == nil)
        #expect(r.strings[0] == "C9")
        #expect(r.numbers[2] == nil)
        #expect(read(event().replacingFirst("}}", with: #"},"data":7}"#)).bad
            == "missing required field data.customerId")
    }

    @Test("unknown fields are skipped but still validated")
    func unknownFields() {
        let ok = event(data: #""customerId":"C1","eventType":"X","extra":{"a":[1,-2.5e3,true,false,null,"s",{}],"b":[]}"#)
        #expect(read(ok).bad == nil)
        #expect(read(event(data: #""customerId":"C1","eventType":"X","extra":[1,01]"#)).bad?
            .hasPrefix("invalid JSON at byte") == true)
        #expect(read(event(data: #""customerId":"C1","eventType":"X","extra":"\q""#)).bad?
            .hasSuffix("invalid escape") == true)
    }

    @Test("escaped strings are returned unescaped, including \\u and surrogate pairs; escaped keys match")
    func escapes() {
        let o = read(event(data: #""customerId":"a\"b\\c\/\u00e9\ud83d\ude00\n","eventType":"\u0050AGE","channel":"plain""#))
        #expect(o.bad == nil)
        #expect(o.strings[0] == "a\"b\\c/é😀\n")
        #expect(o.strings[1] == "PAGE")
        #expect(o.strings[3] == "plain")
        let key = read(event(data: #""customer\u0049d":"C7","eventType":"X""#))
        #expect(key.strings[0] == "C7")
    }

    @Test("escaped time strings are unescaped before the time is parsed")
    func escapedTime() {
        #expect(read(event(time: #""2025-11-04\u005410:00:00.123Z""#)).timeMs == 1_762_250_400_123)
    }

    @Test("lone or reversed surrogates are bad", arguments: [
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#, #""\udc00\ud800""#, #""\uD83D""#,
    ])
    func loneSurrogates(value: String) {
        #expect(read(event(data: #""customerId":"C1","eventType":"X","note":"# + value)).bad?
            .hasSuffix("lone surrogate in \\u escape") == true)
    }

    @Test("bytes that are not UTF-8 are bad anywhere in the record", arguments: [
        [0xFF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0x80], [0xC3], [0xE6, 0x97], [0xF0, 0x9F, 0x98],
    ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        let value = Array(event(data: #""customerId":"C"#).utf8) + sequence
            + Array(#"","eventType":"X""#.utf8) + Array("}}".utf8)
        #expect(read(&reader, bytes: value).bad?.hasPrefix("not valid UTF-8 at byte") == true)
        let inKey = Array(event(data: #""x"#).utf8) + sequence + Array(#"":1,"customerId":"C1","eventType":"X"}}"#.utf8)
        #expect(read(&reader, bytes: inKey).bad?.hasPrefix("not valid UTF-8 at byte") == true)
        let outside = Array(event().utf8.dropLast()) + sequence + [UInt8(ascii: "}")]
        #expect(read(&reader, bytes: outside).bad != nil)
    }

    @Test("valid multi-byte UTF-8 is accepted and returned as is")
    func validUTF8() {
        let o = read(event(data: "\"customerId\":\"Zoë-日本-😀-\u{10FFFF}\",\"eventType\":\"X\""))
        #expect(o.bad == nil)
        #expect(o.strings[0] == "Zoë-日本-😀-\u{10FFFF}")
    }

    @Test("special bytes are found at every position of the 8-byte string scan, up to the record's end")
    func specialByteAtEveryOffset() {
        for offset in 0..<20 {
            let pad = String(repeating: "a", count: offset)
            let escaped = read(event(data: #""customerId":"\#(pad)\"x","eventType":"X""#))
            #expect(escaped.strings[0] == pad + "\"x")
            let unicode = read(event(data: #""customerId":"\#(pad)é","eventType":"X""#))
            #expect(unicode.strings[0] == pad + "é")
            let control = read(event(data: "\"customerId\":\"\(pad)\u{1}\",\"eventType\":\"X\""))
            #expect(control.bad?.hasSuffix("control character in string") == true)
            let bareEnd = #"{"a":"\#(pad)"#
            #expect(read(bareEnd).bad == "invalid JSON at byte \(bareEnd.utf8.count): unexpected end of input")
            let key = read(#"{"\#(pad)":1}"#)
            #expect(key.bad == "missing required field specversion")
        }
    }

    @Test("bytes either side of 0x20, 0x80, quote and backslash are told apart at every lane of the 16-byte scan")
    func specialByteBoundaries() {
        let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F]
        for offset in 0..<40 {
            let pad = Array(repeating: UInt8(ascii: "a"), count: offset)
            // The record up to the string at hand: `event` without its closing braces.
            let before = Array(event(data: #""customerId":""#).utf8.dropLast(2)) + pad
            let after = Array(#"x","eventType":"X"}}"#.utf8)
            let keyBefore = Array(event(data: #""customerId":"C1","eventType":"X",""#).utf8.dropLast(2)) + pad
            let keyAfter = Array(#"x":1}}"#.utf8)
            var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
            for b in plain {
                let value = read(&reader, bytes: before + [b] + after)
                #expect(value.bad == nil && value.strings[0] == String(decoding: pad + [b, UInt8(ascii: "x")],
                                                                      as: UTF8.self), "byte \(b), offset \(offset)")
                #expect(read(&reader, bytes: keyBefore + [b] + keyAfter).bad == nil, "byte \(b), offset \(offset)")
            }
            #expect(read(&reader, bytes: before + [0x1F] + after).bad
                == "invalid JSON at byte \(before.count): control character in string", "offset \(offset)")
            #expect(read(&reader, bytes: keyBefore + [0x1F] + keyAfter).bad
                == "invalid JSON at byte \(keyBefore.count): control character in string", "offset \(offset)")
            for b: UInt8 in [0x80, 0xFF] {
                #expect(read(&reader, bytes: before + [b] + after).bad == "not valid UTF-8 at byte \(before.count)",
                        "byte \(b), offset \(offset)")
                #expect(read(&reader, bytes: keyBefore + [b] + keyAfter).bad
                    == "not valid UTF-8 at byte \(keyBefore.count)", "byte \(b), offset \(offset)")
            }
        }
    }

    @Test("keys of every length from 1 to 20 are matched, looked for or not, also where the record ends soon after")
    func keyLengths() {
        for length in 1...20 {
            let name = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            let fields = [FieldSpec(path: FieldPath(["data", name]), type: .string, required: true)]
            // Keys one byte longer and shorter around it; in both orders, so it is also last, near the end.
            let members = [#""\#(name)":"v""#, #""\#(name)x":"longer""#, #""\#(name.dropLast())":"shorter""#]
            for order in [members, members.reversed()] {
                let o = read(event(data: order.joined(separator: ",")), fields: fields)
                #expect(o.bad == nil && o.strings == ["v"], "length \(length)")
            }
            let unknown = read(event(data: #""\#(name)y":"v""#), fields: fields)
            #expect(unknown.bad == "missing required field data.\(name)")
        }
    }

    @Test("keys alike in their first 8 bytes or length, and more keys than hash buckets, are told apart")
    func manyKeys() {
        let names = (0..<80).map { "f\($0)" } + ["customerIdentity", "customerIdentitx", "customerId_1", "customerIe"]
        let fields = names.map { FieldSpec(path: FieldPath(["data", $0]), type: .string, required: true) }
        let o = read(event(data: names.map { #""\#($0)":"\#($0)!""# }.joined(separator: ",")), fields: fields)
        #expect(o.bad == nil)
        #expect(o.strings == names.map { $0 + "!" })
    }

    @Test("a key one byte off a looked-for name of 9 to 24 bytes, at any position, is not that field")
    func keysOneByteOff() {
        for length in 9...24 {
            let name = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            let fields = [FieldSpec(path: FieldPath(["data", name]), type: .string, required: true)]
            for position in 0..<length {
                var other = Array(name.utf8)
                other[position] = UInt8(ascii: "Z")
                let near = String(decoding: other, as: UTF8.self)
                let o = read(event(data: #""\#(name)":"v","\#(near)":"w""#), fields: fields)
                #expect(o.bad == nil && o.strings == ["v"], "length \(length), position \(position)")
                #expect(read(event(data: #""\#(near)":"w""#), fields: fields).bad
                    == "missing required field data.\(name)", "length \(length), position \(position)")
            }
        }
    }

    @Test("an escape or non-ASCII byte at any offset of a key still matches the field")
    func escapedKeysAtEveryOffset() {
        for offset in 0..<12 {
            let pad = String(repeating: "k", count: offset)
            let fields = [FieldSpec(path: FieldPath(["data", pad + "Id"]), type: .string, required: true),
                          FieldSpec(path: FieldPath(["data", pad + "é"]), type: .string, required: true)]
            let o = read(event(data: #""\#(pad)\u0049d":"a","\#(pad)é":"b""#), fields: fields)
            #expect(o.bad == nil && o.strings == ["a", "b"], "offset \(offset)")
            let bad = read(event(data: #""\#(pad)\x":"a""#), fields: fields)
            #expect(bad.bad?.hasSuffix("invalid escape") == true)
        }
    }

    @Test("numbers and literals at the very end of the input are checked against its end", arguments: [
        (#"{"a":12"#, "invalid JSON at byte 7: unexpected end of input"),
        (#"{"a":1."#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":1e"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":-"#, "invalid JSON at byte 5: invalid number"),
        (#"{"a":tru"#, "invalid JSON at byte 5: expected a value"),
        (#"{"a":"#, "invalid JSON at byte 5: unexpected end of input"),
        (#"{"a""#, "invalid JSON at byte 4: unexpected end of input"),
        ("12", "not a JSON object"),
    ])
    func endOfInput(json: String, reason: String) {
        #expect(read(json).bad == reason)
    }

    @Test("a zero byte inside the record is not taken for its end (the reader pads its copy with zeros)",
          arguments: [
              ("{\"a\":1}\u{0}", "invalid JSON at byte 7: unexpected data after the value"),
              ("{\"a\":\"x\u{0}\"}", "invalid JSON at byte 7: control character in string"),
              ("{\"a\u{0}\":1}", "invalid JSON at byte 3: control character in string"),
              ("{\"a\"\u{0}:1}", "invalid JSON at byte 4: expected ':'"),
              ("{\"a\":\u{0}}", "invalid JSON at byte 5: expected a value"),
              ("{\"a\":1\u{0}}", "invalid JSON at byte 6: expected ',' or '}'"),
              ("{\"a\":tru\u{0}}", "invalid JSON at byte 5: expected a value"),
              ("{\"a\":[1\u{0}]}", "invalid JSON at byte 7: expected ',' or ']'"),
              ("{\u{0}}", "invalid JSON at byte 1: expected a string key"),
          ])
    func zeroByteInside(json: String, reason: String) {
        #expect(read(json).bad == reason)
    }

    @Test("every truncation of a record is bad at its end, or at a number or literal cut short")
    func everyTruncation() {
        let full = event(data: #""customerId":"C000123","eventType":"PURCHASE","amount":12.5,"x":[true,null,-1e5]"#)
        let bytes = Array(full.utf8)
        #expect(read(full).bad == nil)
        for n in 1..<bytes.count {
            let prefix = String(decoding: bytes[..<n], as: UTF8.self)
            // A value cut short: the suffix follows the ':', '[' or ',' before the value.
            let cut = ["12.", "t", "tr", "tru", "n", "nu", "nul", "-", "-1e"].first {
                prefix.hasSuffix($0) && ":[,".utf8.contains(bytes[n - $0.utf8.count - 1])
            }
            let expected: String
            switch cut {
            case "12.": expected = "invalid JSON at byte \(n - 3): invalid number"
            case "-", "-1e": expected = "invalid JSON at byte \(n - cut!.utf8.count): invalid number"
            case let literal?: expected = "invalid JSON at byte \(n - literal.utf8.count): expected a value"
            case nil: expected = "invalid JSON at byte \(n): unexpected end of input"
            }
            #expect(read(prefix).bad == expected, "length \(n)")
        }
    }

    @Test("nesting up to 64 levels is accepted, deeper is bad, very deep does not crash")
    func nestingLimit() {
        func nested(_ depth: Int) -> String {
            // The record object is level 1, data level 2; `deep` adds the rest.
            let extra = depth - 2
            return event(data: #""customerId":"C1","eventType":"X","deep":"#
                + String(repeating: "[", count: extra) + String(repeating: "]", count: extra))
        }
        #expect(read(nested(64)).bad == nil)
        #expect(read(nested(65)).bad?.hasSuffix("nesting deeper than 64") == true)
        #expect(read(nested(100_000)).bad?.hasSuffix("nesting deeper than 64") == true)
        #expect(read(String(repeating: "{\"a\":", count: 100_000)).bad?.hasSuffix("nesting deeper than 64") == true)
    }

    @Test("time forms of docs/bss-jobs.md §7 through the reader", arguments: [
        ("2025-11-04T10:00:00.123Z", Int64(1_762_250_400_123)),
        ("2025-11-04t10:00:00.123z", 1_762_250_400_123),
        ("2025-11-04T15:30:00.123+05:30", 1_762_250_400_123),
        ("2025-11-04T08:00:00.123-02:00", 1_762_250_400_123),
        ("2025-11-04T10:00:00.123456Z", 1_762_250_400_123),
        ("2025-11-04T10:00:00Z", 1_762_250_400_000),
        ("2025-11-04T10:00:00.1Z", 1_762_250_400_100),
    ])
    func goodTimes(time: String, millis: Int64) {
        #expect(read(event(time: "\"\(time)\"")).timeMs == millis)
    }

    @Test("unparseable times are bad with the text in the reason", arguments: [
        "2025-11-04 10:00:00Z", "2025-11-04T10:00:60Z", "2025-11-04T10:00:00", "2025-02-30T10:00:00Z", "yesterday",
    ])
    func badTimes(time: String) {
        #expect(read(event(time: "\"\(time)\"")).bad == "invalid time: \(time)")
    }

    @Test("a time field at a nested path is read from there")
    func nestedTimeField() {
        var reader = RecordReader(timeField: FieldPath(["data", "at"]), fields: customerFields)
        let json = event(data: #""customerId":"C1","eventType":"X","at":"1970-01-01T00:00:01Z""#)
        #expect(read(&reader, bytes: Array(json.utf8)).timeMs == 1000)
        #expect(read(&reader, bytes: Array(event().utf8)).bad == "missing required field data.at")
    }

    @Test("numbers convert to the nearest Double, fast path and long forms alike", arguments: [
        "12.5", "0", "-0", "0.1", "-7", "3.14159", "1e2", "1E+2", "25e-1", "0.000123", "9007199254740993",
        "123456789012345678901234567890", "0.30000000000000004", "1.7976931348623157e308", "4.9e-324",
        "2.2250738585072014e-308", "1e-400", "100000000000000000000000", "1e22", "1e23", "8.5e-15",
        "0.0000000000000000000000000000001",
    ])
    func numbers(text: String) {
        let o = read(event(data: #""customerId":"C1","eventType":"X","amount":"# + text))
        #expect(o.bad == nil)
        #expect(o.numbers[2]?.bitPattern == Double(text)!.bitPattern)
    }

    @Test("numbers at the edges of the scan's fast path (19 digits, mantissa 2^53, 22 fraction digits) convert to the nearest Double",
          arguments: [
              "9007199254740992", "9007199254740993", "-9007199254740993", "900719925474099.2", "900719925474099.3",
              "9007199254740.993", "0.9007199254740993", "1234567890123456789", "12345678901234567890",
              "0.1234567890123456789", "0.01234567890123456789", "1.0000000000000000000001",
              "0.0000000000000000000001", "0.00000000000000000000001", "0.0000000000000000000000001",
              "0.000", "-0.0", "-0", "0", "10", "1.5", "-12.50", "99999.99", "0.1", "0.2", "0.3",
              "1.7976931348623157", "4503599627370497.5", "2251799813685248.25",
          ])
    func fastPathEdges(text: String) {
        let o = read(event(data: #""customerId":"C1","eventType":"X","amount":"# + text))
        #expect(o.bad == nil)
        #expect(o.numbers[2]?.bitPattern == Double(text)!.bitPattern)
    }

    @Test("short decimals of 1 to 17 significant digits and 0 to 22 fraction digits give Double(String)'s bits")
    func shortDecimals() {
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let digits = Int(state >> 59) % 17 + 1
            let fraction = Int(state >> 40) % 23
            var text = String(state % 100_000_000_000_000_000).prefix(digits)
            if fraction > 0 {
                text = text.count > fraction ? text.dropLast(fraction) + "." + text.suffix(fraction)
                    : "0." + String(repeating: "0", count: fraction - text.count) + text
            }
            if state & 1 == 1 { text = "-" + text }
            let o = read(&reader, bytes: Array(event(data: #""customerId":"C1","eventType":"X","amount":"# + text).utf8))
            #expect(o.numbers[2]?.bitPattern == Double(String(text))!.bitPattern, "\(text)")
        }
    }

    @Test("a number that overflows to infinity is bad", arguments: ["1e400", "-1e309", "2e308"])
    func numberOverflow(text: String) {
        #expect(read(event(data: #""customerId":"C1","eventType":"X","amount":"# + text)).bad
            == "field data.amount is out of range")
    }

    @Test("pretty-printed records with all JSON whitespace are read")
    func whitespace() {
        let json = " \t\r\n" + event().replacingFirst(",", with: " ,\n\t").replacingFirst(":", with: " :\r\n ") + "\n "
        let o = read(json)
        #expect(o.bad == nil)
        #expect(o.strings[0] == "C1")
    }

    @Test("whitespace or a wrong byte around ':' and ',' is read or rejected alike at every offset from 8-byte boundaries")
    func separatorsAtEveryOffset() {
        for length in 0..<17 {
            let pad = String(repeating: "p", count: length)
            for (before, after) in [("", ""), (" ", ""), ("", " "), ("\n\t", "\r "), (" ", " ")] {
                let data = #""\#(pad)"\#(before):\#(after)"\#(pad)"\#(before),\#(after)"customerId"\#(before):\#(after)"C\#(pad)""#
                    + #"\#(before),\#(after)"eventType":"X"\#(before),\#(after)"amount"\#(before):\#(after)1.5\#(before)"#
                let o = read(event(data: data))
                #expect(o.bad == nil && o.strings[0] == "C" + pad && o.numbers[2] == 1.5, "length \(length)")
            }
            let start = event(data: #""customerId":"C\#(pad)""#).utf8.count - 2
            let noColon = event(data: #""customerId""C\#(pad)""#)
            let afterKey = event(data: #""customerId""#).utf8.count - 2
            #expect(read(noColon).bad == "invalid JSON at byte \(afterKey): expected ':'")
            let semicolon = event(data: #""customerId":"C\#(pad)";"eventType":"X""#)
            #expect(read(semicolon).bad == "invalid JSON at byte \(start): expected ',' or '}'", "length \(length)")
            let commaNoKey = event(data: #""customerId":"C\#(pad)",x"#)
            #expect(read(commaNoKey).bad == "invalid JSON at byte \(start + 1): expected a string key")
        }
    }

    @Test("one reader reads many records: values follow the last good record, a bad one does not stick")
    func reuse() {
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        let first = read(&reader, bytes: Array(event(data: #""customerId":"A\u0041","eventType":"X","amount":1"#).utf8))
        #expect(first.strings[0] == "AA")
        #expect(read(&reader, bytes: Array("{".utf8)).bad != nil)
        let big = String(repeating: "\\u00e9", count: 3000)
        let second = read(&reader, bytes: Array(event(data: #""customerId":"\#(big)","eventType":"Y""#).utf8))
        #expect(second.strings[0] == String(repeating: "é", count: 3000))
        #expect(second.numbers[2] == nil)
        let third = read(&reader, bytes: Array(event().utf8))
        #expect(third.strings == ["C1", "PURCHASE", nil, nil])
    }

    @Test("an escaped string of an earlier record or replaced key is absent once its key is gone, other escapes or not")
    func escapedThenAbsent() {
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        let first = read(&reader,
                         bytes: Array(event(data: #""customerId":"A","eventType":"X","channel":"w\u0065b""#).utf8))
        #expect(first.strings == ["A", "X", nil, "web"])
        let second = read(&reader, bytes: Array(event(data: #""customerId":"\u0042","eventType":"Y""#).utf8))
        #expect(second.strings == ["B", "Y", nil, nil])
        let replaced = event(data: #""customerId":"C1","eventType":"X","channel":"\u0061pp""#)
            .replacingFirst("}}", with: #"},"data":{"customerId":"C\u0039","eventType":"Y"}}"#)
        #expect(read(&reader, bytes: Array(replaced.utf8)).strings == ["C9", "Y", nil, nil])
    }

    @Test("eventTimeMs stays that of the last good record when a later record is bad")
    func timeOfLastGoodRecord() {
        var reader = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        #expect(read(&reader, bytes: Array(event().utf8)).bad == nil)
        let bad = event(data: #""eventType":"X""#, time: #""2030-01-01T00:00:00Z""#)
        #expect(read(&reader, bytes: Array(bad.utf8)).bad != nil)
        #expect(reader.eventTimeMs == 1_762_250_400_123)
    }

    @Test("keys match only at their own path: the same name elsewhere is not the field")
    func keysMatchOnlyAtTheirPath() {
        let json = event(data: #""eventType":"X","x":{"customerId":"no"}"#)
            .replacingFirst(#""id":"e1""#, with: #""id":"e1","customerId":"top","x":{"data":{"customerId":"deep"}}"#)
        #expect(read(json).bad == "missing required field data.customerId")
    }

    @Test("a copy of a reader reads on its own: the original keeps its last record")
    func copies() {
        var a = RecordReader(timeField: FieldPath(["time"]), fields: customerFields)
        let first = Array(event(data: #""customerId":"\u0041","eventType":"X""#).utf8)
        let second = Array(event(data: #""customerId":"\u0042","eventType":"Y""#).utf8)
        first.withUnsafeBytes { raw in
            #expect(a.read(raw) == nil)
            var b = a
            _ = read(&b, bytes: second)
            #expect(String(decoding: a.stringBytes(0), as: UTF8.self) == "A")
        }
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
