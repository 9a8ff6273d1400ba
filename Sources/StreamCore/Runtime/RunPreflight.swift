import Foundation

/// Why a run cannot start, each with a distinct exit code for scripts.
public enum RunError: Error, CustomStringConvertible, Sendable {
    case brokerUnreachable(String)
    case topicMissing(String)
    case checkpointDirectoryUnwritable(String, String)

    public var description: String {
        switch self {
        case .brokerUnreachable(let detail): "no Kafka broker reachable: \(detail)"
        case .topicMissing(let topic): "topic \(topic) does not exist: create it first (the embedded cluster creates the jobs' topics itself)"
        case .checkpointDirectoryUnwritable(let dir, let why): "checkpoint directory \(dir) is not writable: \(why)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .brokerUnreachable: 3
        case .topicMissing: 4
        case .checkpointDirectoryUnwritable: Self.checkpointStorageExitCode
        }
    }

    /// The checkpoint directory cannot be written: at start, or when it fills up mid-run.
    public static let checkpointStorageExitCode: Int32 = 5
}

/// Checks made before any task starts, so a run fails at once with a clear reason.
public enum RunPreflight {
    public static func checkpointDirectoryWritable(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let probe = "\(dir)/.write-probe-\(getpid())"
            try Data().write(to: URL(fileURLWithPath: probe))
            try FileManager.default.removeItem(atPath: probe)
        } catch {
            throw RunError.checkpointDirectoryUnwritable(dir, "\(error.localizedDescription)")
        }
    }

    public static func partitionCounts(of topics: Set<String>, kafka: [String: String]) throws -> [String: Int32] {
        let consumer = try KafkaConsumer(config: kafka)
        var counts: [String: Int32] = [:]
        for topic in topics.sorted() {
            do {
                counts[topic] = try consumer.partitionCount(topic: topic, timeoutMs: 10_000)
            } catch let error as KafkaError where error.isUnknownTopic {
                throw RunError.topicMissing(topic)
            } catch let error as KafkaError {
                throw RunError.brokerUnreachable("\(kafka["bootstrap.servers"] ?? "?"): \(error)")
            }
        }
        return counts
    }
}
