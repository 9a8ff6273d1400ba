import Cluster
import Foundation
import Logging
import TestSupport
import Testing

/// What a taskmanager learns when it registers: where Kafka and the checkpoints are, and the
/// heartbeat contract.
@Suite struct RegistrationTests {
    @Test func aRegisteringTaskManagerGetsTheJobManagersKafkaSettings() throws {
        let dir = temporaryDirectory("registration")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "kafka-1:9092")
        let jobManager = JobManager(settings: settings, logger: Logger(label: "test")) { _ in [:] }
        let response = jobManager.register(RegistrationRequest(host: "tm", slots: 2))
        #expect(response.bootstrapServers == "kafka-1:9092")
        #expect(response.checkpointDir == dir)
        #expect(response.leaseMs == settings.leaseMs)
        #expect(response.heartbeatIntervalMs == settings.heartbeatIntervalMs)
    }
}
