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
        let settings = ClusterSettings(checkpointDir: dir, bootstrapServers: "kafka-1:9092")
        let jobManager = JobManager(settings: settings, logger: Logger(label: "test")) { _ in [:] }
        let response = jobManager.register(RegistrationRequest(host: "tm", slots: 2))
        #expect(response.bootstrapServers == "kafka-1:9092")
        #expect(response.checkpointDir == dir)
        #expect(response.leaseMs == settings.leaseMs)
        #expect(response.heartbeatIntervalMs == settings.heartbeatIntervalMs)
        #expect(response.linkPort == nil && response.linkKey == nil, "no link without a link port")
    }

    /// Each taskmanager gets a link key of its own; only that key opens a link in its name (its id
    /// is public in the REST API).
    @Test func aRegisteringTaskManagerGetsALinkKeyOnlyItsLinkPresents() throws {
        var settings = ClusterSettings(checkpointDir: temporaryDirectory("registration-link"), bootstrapServers: "kafka-1:9092")
        defer { try? FileManager.default.removeItem(atPath: settings.checkpointDir) }
        settings.linkPort = 7_000
        let jobManager = JobManager(settings: settings, logger: Logger(label: "test")) { _ in [:] }
        let a = jobManager.register(RegistrationRequest(host: "tm-a", slots: 2))
        let b = jobManager.register(RegistrationRequest(host: "tm-b", slots: 2))
        #expect(a.linkPort == 7_000)
        let keyA = try #require(a.linkKey), keyB = try #require(b.linkKey)
        #expect(keyA != keyB)
        #expect(jobManager.linkKeyMatches(a.taskManagerId, keyA))
        #expect(!jobManager.linkKeyMatches(a.taskManagerId, keyB))
        #expect(!jobManager.linkKeyMatches(a.taskManagerId, ""))
        #expect(!jobManager.linkKeyMatches("tm-unknown", keyA))
    }
}
