import Foundation
import Testing
@testable import StreamCore

/// `WindowOperator.prefetchState(ofKey:)` only loads memory: whatever hints it gets (the right
/// keys, other keys, none), a run's output must be byte for byte the output without hints. The
/// runs use more distinct keys than `StatePrefetch.minimumKeys`, so the hints take effect.
@Suite struct StatePrefetchTests {
    enum Hints { case none, rightKeys, otherKeys, missing }

    /// 120K records over 40K customers, a record every 10 ms of event time, some out of order.
    static let records: [(key: [UInt8], value: [UInt8])] = {
        let customers = StatePrefetch.minimumKeys + 7_232
        var out: [(key: [UInt8], value: [UInt8])] = []
        var state: UInt64 = 7
        for i in 0..<120_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let customer = "C\(100_000 + Int(state >> 33) % customers)"
            let millis = 1_762_250_400_000 + Int64(i) * 10 - Int64(state >> 60) * 300
            let type = state & 3 == 0 ? "PURCHASE" : "PAGE_VIEW"
            let json = """
                {"specversion":"1.0","id":"e\(i)","source":"/bss/customers","type":"bss.customer.event",\
                "time":"\(RFC3339.format(millis: millis))","data":{"customerId":"\(customer)","eventType":"\(type)",\
                "amount":\(Double(i % 997) / 4)}}
                """
            out.append((Array(customer.utf8), Array(json.utf8)))
        }
        return out
    }()

    /// Every output record's stream, key and value, in order, from a run with `hints`.
    static func run(_ spec: JobSpec, hints: Hints) throws -> [UInt8] {
        let pipeline = Pipeline(job: try CompiledJob.compile(spec).get(), partition: 0)
        var batch = OutputBatch()
        var out: [UInt8] = []
        func drain() {
            for i in 0..<batch.records.count {
                batch.withRecord(i) { stream, key, value in
                    out.append(stream.rawValue)
                    out += key
                    out += value
                }
            }
            batch.removeAll()
        }
        let records = Self.records
        let distance = WindowOperator.prefetchDistance
        for (i, record) in records.enumerated() {
            let ahead = i + distance
            switch hints {
            case .none: break
            case .rightKeys: hint(ahead < records.count ? records[ahead].key : nil, pipeline)
            case .otherKeys: hint(records[(ahead * 7_919) % records.count].key, pipeline)
            case .missing: hint(nil, pipeline)
            }
            try record.value.withUnsafeBytes { value in
                try record.key.withUnsafeBytes { key in
                    let outcome = try pipeline.process(key: key, value: value, offset: Int64(i), into: &batch)
                    #expect(outcome != .bad)
                }
            }
            drain()
        }
        try pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &batch)
        drain()
        return out
    }

    @Test(arguments: [WindowSpec.tumbling(sizeMs: 60_000), .sliding(sizeMs: 120_000, slideMs: 30_000)])
    func hintsNeverChangeTheOutput(window: WindowSpec) throws {
        let spec = windowJob(window)
        let plain = try Self.run(spec, hints: .none)
        #expect(plain.count > 1_000_000, "the run emits results")
        for hints in [Hints.rightKeys, .otherKeys, .missing] {
            #expect(try Self.run(spec, hints: hints) == plain, "hints: \(hints)")
        }
    }
}

private func hint(_ key: [UInt8]?, _ pipeline: Pipeline) {
    guard let key else { return pipeline.prefetchState(ofKey: nil) }
    key.withUnsafeBytes { pipeline.prefetchState(ofKey: $0) }
}
