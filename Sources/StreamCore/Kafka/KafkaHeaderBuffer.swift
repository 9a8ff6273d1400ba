import CRdKafka

/// Headers with names fixed up front and values rewritten per record into one reused buffer,
/// for producing without building a `[KafkaHeader]` per record.
public struct KafkaHeaderBuffer: Sendable {
    private let names: [[UInt8]]
    private var scratch: [UInt8] = []
    /// Per name: start in `scratch` and length, or nil when the header is not sent.
    private var ranges: [(start: Int, count: Int)?]

    public init(names: [String], valueCapacity: Int = 256) {
        self.names = names.map { Array($0.utf8) }
        ranges = Array(repeating: nil, count: names.count)
        scratch.reserveCapacity(valueCapacity)
    }

    /// Forgets all values (keeps the storage); call before filling the next record's headers.
    public mutating func removeAllValues() {
        scratch.removeAll(keepingCapacity: true)
        for i in ranges.indices { ranges[i] = nil }
    }

    /// Sets the value of header `index` (position in `names`) to a copy of `bytes`.
    public mutating func setValue(_ index: Int, _ bytes: UnsafeRawBufferPointer) {
        ranges[index] = (scratch.count, bytes.count)
        scratch.append(contentsOf: bytes)
    }

    public mutating func setValue(_ index: Int, _ string: String) {
        var string = string
        string.withUTF8 { setValue(index, UnsafeRawBufferPointer($0)) }
    }

    /// Lets `write` fill up to `maxCount` bytes in place; it returns how many it wrote.
    public mutating func setValue(_ index: Int, maxCount: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        let start = scratch.count
        scratch.append(contentsOf: repeatElement(0, count: maxCount))
        let written = scratch.withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[start..<start + maxCount])) }
        precondition(written >= 0 && written <= maxCount, "header writer returned \(written) for \(maxCount) bytes")
        scratch.removeLast(maxCount - written)
        ranges[index] = (start, written)
    }

    /// A librdkafka header list with copies of the set values (nil when none is set).
    func makeCHeaders() -> OpaquePointer? {
        var count = 0
        for range in ranges where range != nil { count += 1 }
        guard count > 0, let headers = rd_kafka_headers_new(count) else { return nil }
        scratch.withUnsafeBytes { values in
            for (i, range) in ranges.enumerated() {
                guard let range else { continue }
                names[i].withUnsafeBytes { name in
                    _ = rd_kafka_header_add(headers, name.baseAddress, name.count,
                                            values.baseAddress.map { $0 + range.start }, range.count)
                }
            }
        }
        return headers
    }
}

extension KafkaHeader {
    /// A librdkafka header list with copies of `headers` (nil when empty).
    static func makeCHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty, let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            var name = header.name
            name.withUTF8 { name in
                header.value.withUnsafeBytes { value in
                    _ = rd_kafka_header_add(list, name.baseAddress, name.count, value.baseAddress, value.count)
                }
            }
        }
        return list
    }
}
