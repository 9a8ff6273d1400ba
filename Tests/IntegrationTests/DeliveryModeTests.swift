import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// The two other delivery modes write the same records as exactly-once on an uninterrupted run.
@Suite(.serialized) struct DeliveryModeTests {
    @Test(arguments: [DeliveryGuarantee.transactional, .atLeastOnce])
    func uninterruptedRunWritesExactlyTheSpecifiedRecords(mode: DeliveryGuarantee) throws {
        let fixture = try ClusterFixture()
        try fixture.produceGenerated(count: 3_000)
        let dir = temporaryDirectory("delivery")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobs = fixture.jobs.map { job -> JobSpec in
            var job = job
            job.delivery = mode
            return job
        }
        try LocalJobRunner(jobs: jobs, options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: true, slots: 2, checkpointDir: dir)).run()
        let report = try fixture.verify()
        #expect(report.expected.count > 100)
        #expect(report.exact, "\(report.summary)")
    }
}
