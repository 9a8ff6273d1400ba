import Foundation
import Logging
import Synchronization

/// How this process's Kafka clients reach a cluster that needs TLS or SASL: librdkafka properties
/// from a properties file (`--kafka-properties FILE`, `key=value` lines, `#` comments) and from
/// the environment (`STREAM_KAFKA_SASL_PASSWORD` is `sasl.password`: the rest of the name in
/// lower case, `_` as `.`), the environment winning. Every consumer, producer and metadata client
/// the process makes for a cluster gets them; each process reads its own, so secrets never cross
/// the jobmanager's link or its REST API. Secret values are never printed (`description`).
public struct KafkaSecuritySettings: Sendable, Equatable, CustomStringConvertible {
    /// The keys it takes: the connection's security, nothing that changes what a task does.
    public static let keys: Set<String> = [
        "security.protocol",
        "ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "ssl.key.password",
        "ssl.endpoint.identification.algorithm",
        "sasl.mechanism", "sasl.mechanisms", "sasl.username", "sasl.password",
    ]
    static let secretKeys: Set<String> = ["ssl.key.password", "sasl.password"]
    static let protocols = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]
    static let mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
    public static let environmentPrefix = "STREAM_KAFKA_"

    public private(set) var properties: [String: String]

    public init(properties: [String: String] = [:]) {
        self.properties = properties
    }

    /// A problem of a properties file or variable, named where it is.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `file` (if any), then the environment's `STREAM_KAFKA_*` variables over it.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self {
        var settings = Self()
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw Problem(description: "\(file): cannot read the Kafka properties file")
            }
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
                guard let eq = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                    throw Problem(description: "\(file):\(n + 1): expected key=value, got \"\(line.prefix(40))\"")
                }
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                try settings.set(key, value, at: "\(file):\(n + 1)")
            }
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(environmentPrefix) {
            let key = name.dropFirst(environmentPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
            try settings.set(key, value, at: "environment variable \(name)")
        }
        return settings
    }

    private mutating func set(_ key: String, _ value: String, at site: String) throws {
        guard Self.keys.contains(key) else {
            throw Problem(description: "\(site): \(key) is not a Kafka security setting (known: \(Self.keys.sorted().joined(separator: ", ")))")
        }
        switch key {
        case "security.protocol" where !Self.protocols.contains(value.lowercased()):
            throw Problem(description: "\(site): security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got \"\(value)\"")
        case "sasl.mechanism", "sasl.mechanisms":
            guard Self.mechanisms.contains(value) else {
                throw Problem(description: "\(site): \(key) must be one of \(Self.mechanisms.joined(separator: ", ")), got \"\(value)\"")
            }
        default:
            break
        }
        properties[key] = value
    }

    /// `config` with these settings added when it is a client of a cluster (it names
    /// `bootstrap.servers`; the handle hosting the embedded cluster does not): what `config` sets
    /// itself wins.
    public func applied(to config: [String: String]) -> [String: String] {
        guard config["bootstrap.servers"] != nil else { return config }
        return properties.merging(config) { _, explicit in explicit }
    }

    /// The settings with secret values replaced, for logs and answers.
    public var description: String {
        properties.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.secretKeys.contains($0.key) ? "<redacted>" : $0.value)" }
            .joined(separator: " ")
    }

    /// `message` with every secret value of these settings replaced: librdkafka may quote what it
    /// was given in an error.
    public func redacting(_ message: String) -> String {
        var text = message
        for key in Self.secretKeys { if let secret = properties[key], !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: "<redacted>") } }
        return text
    }

    /// The settings every cluster client of this process gets (set once at start).
    public static let process = Mutex(KafkaSecuritySettings())

    /// Installs `settings` for every Kafka client this process makes from now on.
    public static func install(_ settings: KafkaSecuritySettings) {
        process.withLock { $0 = settings }
    }

    /// At a process's start: loads the settings of `--kafka-properties` and the environment,
    /// installs them and logs them (secrets redacted). Throws a `Problem` naming the file and line.
    public static func installAtStart(file: String?, logger: Logger) throws {
        let settings = try load(file: file)
        install(settings)
        if !settings.properties.isEmpty { logger.info("Kafka security settings", metadata: ["settings": "\(settings)"]) }
    }
}
