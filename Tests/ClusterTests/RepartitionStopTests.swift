import Cluster
import Foundation
import Logging
import TestSupport
import Testing

/// A job that repartitions is not stopped with drain: its stage-2 tasks would fire their windows
/// before reading what stage 1 wrote last. The request is refused saying why and what to do.
@Suite struct RepartitionStopTests {
    @Test func aStopWithDrainIsRefusedNamingTheRepartitionTopic() throws {
        let dir = temporaryDirectory("repartition-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobManager = JobManager(settings: ClusterSettings(checkpointDir: dir, bootstrapServers: "unused:9092"),
                                    logger: Logger(label: "test")) { specs in
            Dictionary(uniqueKeysWithValues: specs.flatMap(\.topics).map { ($0, 2) })
        }
        let job = try jobManager.submit(yaml: try RepartitionedOrders.yaml(checkpointInterval: "1s"), bounded: false)[0].id
        #expect(try #require(jobManager.jobDetail(job)).tasks.count == 4)
        #expect {
            try jobManager.requestSavepoint(job, kind: .stop, drain: true)
        } throws: { error in
            guard case SavepointRequestError.conflict(let why) = error else { return false }
            return why.hasPrefix("job order-fraud repartitions through order-fraud.by-customer.repartition: a stop with drain")
                && why.contains("stop it without drain")
        }
    }
}
