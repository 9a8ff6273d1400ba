import Foundation
import Testing
@testable import StreamCore

/// Kafka security settings: read from a properties file and the environment, checked at start
/// with the file and line of a mistake, handed to librdkafka, never printed with their secrets.
@Suite struct KafkaSecuritySettingsTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fileThenEnvironmentGiveTheSettings() throws {
        let path = try file("""
            # a cluster with SASL over TLS
            security.protocol=SASL_SSL
            sasl.mechanism = SCRAM-SHA-512
            sasl.username=engine
            ! a comment in the other style
            sasl.password=from-file
            ssl.ca.location=/etc/kafka/ca.pem

            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try KafkaSecuritySettings.load(file: path, environment: ["STREAM_KAFKA_SASL_PASSWORD": "from-env", "HOME": "/root"])
        #expect(settings.properties == [
            "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "engine",
            "sasl.password": "from-env", "ssl.ca.location": "/etc/kafka/ca.pem",
        ])
        #expect(settings.description == "sasl.mechanism=SCRAM-SHA-512 sasl.password=<redacted> sasl.username=engine "
            + "security.protocol=SASL_SSL ssl.ca.location=/etc/kafka/ca.pem")
        #expect(settings.redacting("auth failed for password from-env") == "auth failed for password <redacted>")
    }

    @Test func mistakesAreNamedByFileAndLine() throws {
        let unknown = try file("security.protocol=SSL\nssl.keystore.location=/x\n")
        let badProtocol = try file("security.protocol=TLS\n")
        let noValue = try file("sasl.username\n")
        defer { for p in [unknown, badProtocol, noValue] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(throws: KafkaSecuritySettings.Problem.self) { try KafkaSecuritySettings.load(file: unknown, environment: [:]) }
        #expect(message { try KafkaSecuritySettings.load(file: unknown, environment: [:]) }.hasPrefix("\(unknown):2: ssl.keystore.location is not a Kafka security setting"))
        #expect(message { try KafkaSecuritySettings.load(file: badProtocol, environment: [:]) }
            == "\(badProtocol):1: security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got \"TLS\"")
        #expect(message { try KafkaSecuritySettings.load(file: noValue, environment: [:]) } == "\(noValue):1: expected key=value, got \"sasl.username\"")
        #expect(message { try KafkaSecuritySettings.load(file: nil, environment: ["STREAM_KAFKA_SASL_MECHANISM": "GSSAPI"]) }
            == "environment variable STREAM_KAFKA_SASL_MECHANISM: sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got \"GSSAPI\"")
        #expect(message { try KafkaSecuritySettings.load(file: "/nonexistent/kafka.properties", environment: [:]) }
            == "/nonexistent/kafka.properties: cannot read the Kafka properties file")
    }

    @Test func clientsOfAClusterGetTheSettingsAndLibrdkafkaChecksThem() throws {
        let settings = KafkaSecuritySettings(properties: ["security.protocol": "SSL", "ssl.ca.location": "/nonexistent/ca.pem"])
        let client = settings.applied(to: ["bootstrap.servers": "127.0.0.1:9092", "ssl.ca.location": "/explicit/ca.pem"])
        #expect(client == ["bootstrap.servers": "127.0.0.1:9092", "security.protocol": "SSL", "ssl.ca.location": "/explicit/ca.pem"])
        #expect(settings.applied(to: ["test.mock.num.brokers": "3"]) == ["test.mock.num.brokers": "3"])
        // librdkafka loads the CA when the client is made: a missing file is an error naming it.
        let error = message { _ = try KafkaConsumer(config: settings.applied(to: ["bootstrap.servers": "127.0.0.1:9092", "group.id": "g"])) }
        #expect(error.contains("/nonexistent/ca.pem"), "\(error)")
    }

    private func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}
