import Cluster
import Foundation
import Logging
import TestSupport
import Testing

/// Cluster mode runs jobs of one stage: a job that repartitions is refused at submission with the
/// reason and what runs it, before any topic is touched or task placed.
@Suite struct RepartitionSubmissionTests {
    @Test func aJobThatRepartitionsIsRefusedNamingItsTopicAndLocalMode() throws {
        let dir = temporaryDirectory("repartition-submit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobManager = JobManager(settings: ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092"),
                                    logger: Logger(label: "test")) { _ in
            Issue.record("topics prepared for a refused job")
            return [:]
        }
        let yaml = try String(contentsOfFile: "\(packageRoot)/examples/order-fraud-by-order.yaml", encoding: .utf8)
        #expect {
            try jobManager.submit(yaml: yaml, bounded: true)
        } throws: { error in
            guard case SubmissionError.unsupported(let why) = error else { return false }
            return why.hasPrefix("job order-fraud repartitions through order-fraud.by-customer.repartition: cluster mode runs jobs of one stage")
                && why.contains("jobmanager run")
        }
        #expect(jobManager.jobList().jobs.isEmpty)
    }
}
