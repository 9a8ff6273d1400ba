import BSSTools
import StreamCore

/// Generated input records of one job held back to back in one buffer, so a benchmark reads them
/// the way a task reads a consumed batch: raw bytes, no per-record object.
public struct GeneratedInput: Sendable {
    public let job: BenchJob
    public let customers: Int
    public private(set) var bytes: [UInt8] = []
    /// Record i's key is `bytes[keyStarts[i] ..< valueStarts[i]]`, its value `bytes[valueStarts[i] ..< keyStarts[i + 1]]`.
    private var keyStarts: [Int] = [0]
    private var valueStarts: [Int] = []

    public var count: Int { valueStarts.count }

    /// `count` records of `job`'s topic from the BSS generator (seeded: the same call gives the same
    /// bytes), one partition, `customers` distinct keys, the generator's default disorder, late and
    /// bad fractions and 1,000 events per simulated second.
    public init(job: BenchJob, count: Int, customers: Int, seed: UInt64 = 42) {
        self.job = job
        self.customers = customers
        var options = BSSEventGenerator.Options()
        options.seed = seed
        options.customers = customers
        options.partitions = 1
        var generator = BSSEventGenerator(options: options)
        bytes.reserveCapacity(count * 300)
        keyStarts.reserveCapacity(count + 1)
        valueStarts.reserveCapacity(count)
        for _ in 0..<count {
            let r = job == .customerAnalytics ? generator.nextCustomerEvent() : generator.nextOrderEvent()
            bytes.append(contentsOf: r.key)
            valueStarts.append(bytes.count)
            bytes.append(contentsOf: r.value)
            keyStarts.append(bytes.count)
        }
    }

    /// Calls `body` with each record's key and value, in order.
    @inline(__always)
    public func forEach(_ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try forEach(lookingAhead: 0, { _ in }, body)
    }

    /// `forEach`, also handing `ahead` the key of the record `distance` places after each one
    /// before `body` gets it (nil past the last), as a source task hands its consumed batch.
    @inline(__always)
    public func forEach(lookingAhead distance: Int, _ ahead: (UnsafeRawBufferPointer?) -> Void,
                        _ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try forEach(in: 0..<count, lookingAhead: distance, ahead, body)
    }

    /// `forEach(lookingAhead:)` over the records `range` (one consumed batch): hints stop at its end.
    @inline(__always)
    public func forEach(in range: Range<Int>, lookingAhead distance: Int, _ ahead: (UnsafeRawBufferPointer?) -> Void,
                        _ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            try keyStarts.withUnsafeBufferPointer { keys in
                try valueStarts.withUnsafeBufferPointer { values in
                    func key(_ i: Int) -> UnsafeRawBufferPointer {
                        UnsafeRawBufferPointer(rebasing: all[keys[i]..<values[i]])
                    }
                    if distance > 0 {
                        for i in range.lowerBound..<min(range.lowerBound + distance, range.upperBound) { ahead(key(i)) }
                    }
                    for i in range {
                        if distance > 0 { ahead(i + distance < range.upperBound ? key(i + distance) : nil) }
                        try body(i, key(i), UnsafeRawBufferPointer(rebasing: all[values[i]..<keys[i + 1]]))
                    }
                }
            }
        }
    }

    /// Value bytes of record `i` (for micro-benchmarks that pick single records).
    public func withValue<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[valueStarts[i]..<keyStarts[i + 1]])) }
    }

    public var totalValueBytes: Int { bytes.count - (0..<count).reduce(0) { $0 + valueStarts[$1] - keyStarts[$1] } }
}
