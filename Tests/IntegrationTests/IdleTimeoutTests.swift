import Foundation
import StreamCore
import TestSupport
import Testing

/// docs/bss-jobs.md §2: in an unbounded run, a partition with no record for `idleTimeout` advances its
/// watermark with the wall clock, so the window of a customer that went quiet still closes.
@Suite(.serialized) struct IdleTimeoutTests {
    @Test func quietPartitionClosesItsWindowAfterTheIdleTimeout() throws {
        let fixture = try ClusterFixture()
        var job = fixture.job("customer-analytics")
        job.window?.window = .tumbling(sizeMs: 1_000)
        job.source.watermark = WatermarkSpec(outOfOrdernessMs: 0, idleTimeoutMs: 300)
        try fixture.produce("bss.customer.events", [("C1", """
            {"specversion":"1.0","id":"e1","source":"/s","type":"t","time":"2025-11-04T10:00:00.500Z","data":{"customerId":"C1","eventType":"LOGIN"}}
            """)])
        let dir = temporaryDirectory("idle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runner = LocalJobRunner(jobs: [job], options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: false, slots: 1, checkpointDir: dir))
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? runner.run()
            finished.signal()
        }
        var results: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while results.isEmpty && Date() < deadline {
            usleep(100_000)
            results = try fixture.values("bss.analytics.events")
        }
        runner.stop()
        finished.wait()
        #expect(results.count == 1)
        #expect(results.first?.contains(#""windowEnd":"2025-11-04T10:00:01.000Z","eventCount":1"#) == true)
    }
}
