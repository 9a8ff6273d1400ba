import Testing
@testable import StreamCore

/// Releasing keys no state references (at checkpoints) keeps the key table near the live keys
/// while keys come and go, and changes no output: a pipeline that releases writes exactly what
/// one that never does writes, for each kind of keyed step, with state in memory and spilled.
@Suite struct KeyReleaseTests {
    /// Each customer sends four records over 150 ms and is never seen again; one customer
    /// (`HOT`) sends every tenth record throughout, so its state lives across every release.
    private func drive<Op: KeyedOperator>(_ spec: JobSpec, _ kind: Op.Type, maxRowsInMemory: Int, release: Bool) throws
        -> (output: [String], keysHeld: Int, distinct: Int, releases: [(before: Int, after: Int)]) {
        try withRocksDBTestDirectory { dir in
            let store = try RocksDBStore(path: dir)
            let h = Harness<Op>(spec, store: store, maxRowsInMemory: maxRowsInMemory)
            var output: [String] = [], releases: [(before: Int, after: Int)] = [], customers = Set<String>()
            for i in 0..<24_000 {
                let customer = i % 10 == 0 ? "HOT" : "C\(i / 4)"
                customers.insert(customer)
                h.send(customer, at: Int64(i) * 50, type: i % 3 == 0 ? "PURCHASE" : "PAGE_VIEW", amount: Double(i % 7))
                if i % 1_000 == 999 {
                    let batch = RocksDBWriteBatch()
                    h.pipeline.snapshotChanges(into: batch)
                    try store.write(batch)
                    if release, let released = try h.pipeline.releaseUnusedKeys(minimum: 1_000) { releases.append(released) }
                }
                output += h.take().map(\.raw)
            }
            h.endOfInput()
            output += h.take().map(\.raw)
            return (output, h.pipeline.keysHeld, customers.count, releases)
        }
    }

    private func expectSameOutputWithFewerKeys<Op: KeyedOperator>(_ spec: JobSpec, _ kind: Op.Type = WindowOperator.self,
                                                                 maxRowsInMemory: Int = .max) throws {
        let kept = try drive(spec, kind, maxRowsInMemory: maxRowsInMemory, release: false)
        let released = try drive(spec, kind, maxRowsInMemory: maxRowsInMemory, release: true)
        #expect(kept.output.count > 100)
        #expect(released.output == kept.output)
        #expect(kept.keysHeld == kept.distinct)
        #expect(!released.releases.isEmpty)
        for r in released.releases { #expect(r.after < r.before, "released \(r)") }
        #expect(released.keysHeld < kept.keysHeld / 2)
    }

    private let rules = [ThresholdRule(name: "busy", metric: "purchases", threshold: 2, severity: "warning")]

    @Test func tumblingWindowWithRulesAndLateness() throws {
        try expectSameOutputWithFewerKeys(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 10_000), rules: rules))
    }

    @Test func slidingWindowInKeyBlocks() throws {
        try expectSameOutputWithFewerKeys(windowJob(.sliding(sizeMs: 2 * minute, slideMs: minute / 2, allowedLatenessMs: 0), rules: rules))
    }

    @Test func windowStateSpilledToTheStore() throws {
        try expectSameOutputWithFewerKeys(windowJob(.tumbling(sizeMs: minute, allowedLatenessMs: 0)), maxRowsInMemory: 300)
    }

    @Test func sessionWindows() throws {
        try expectSameOutputWithFewerKeys(windowJob(.session(gapMs: 20_000, allowedLatenessMs: 5_000), rules: rules), SessionWindowOperator.self)
    }
}
