/// Canonical JSON text: keys sorted by Unicode scalar, integral numbers (below 2^53)
/// without a fraction so `51` and `51.0` agree, and only ASCII in the output
/// (every other scalar escaped) so comparing two texts compares scalars exactly.
enum RefJSONWriter {
    static func canonical(_ value: RefJSON) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: RefJSON, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += format(number)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let names = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (position, name) in names.enumerated() {
                if position > 0 { out += "," }
                writeString(name, into: &out)
                out += ":"
                write(members[name]!, into: &out)
            }
            out += "}"
        }
    }

    static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return "\(number)"
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(scalar)
            default:
                for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
            }
        }
        out += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
