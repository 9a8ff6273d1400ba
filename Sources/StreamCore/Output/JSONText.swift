/// JSON text of constant strings, rendered once when encoders are built (off the hot path).
enum JSONText {
    static func escaped(_ s: String) -> [UInt8] {
        var w = JSONWriter(capacity: s.utf8.count + 8)
        w.string(s)
        return Array(w.bytes.dropFirst().dropLast())
    }

    static func quoted(_ s: String) -> [UInt8] {
        var w = JSONWriter(capacity: s.utf8.count + 8)
        w.string(s)
        return w.bytes
    }
}
