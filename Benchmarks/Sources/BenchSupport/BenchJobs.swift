import Foundation
import Jobs
import StreamCore

/// The two shipped BSS jobs, read from the repository's jobs.yaml so the benchmarks run exactly
/// what users run.
public enum BenchJobs {
    /// The repository root: Benchmarks/Sources/BenchSupport/ is three levels below it.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func load() -> [JobSpec] { load(path: "\(repositoryRoot)/jobs.yaml") }

    /// Every job of a definition file (any file in the jobs.yaml format, e.g. Benchmarks/bench-jobs.yaml).
    public static func load(path: String) -> [JobSpec] {
        do {
            return try JobDefinitionLoader.load(path: path)
        } catch {
            fatalError("cannot load \(path): \(error)")
        }
    }

    public static func job(_ name: String) -> JobSpec {
        guard let job = load().first(where: { $0.name == name }) else { fatalError("no job \(name) in jobs.yaml") }
        return job
    }
}

/// Which BSS job a run exercises, with its input topic.
public enum BenchJob: String, CaseIterable, Sendable {
    case customerAnalytics = "customer-analytics"
    case orderFraud = "order-fraud"

    public var spec: JobSpec { BenchJobs.job(rawValue) }

    /// The generated input stream a job reads, by its source topic: the customer events
    /// (customer-analytics' topic) or the order events (order-fraud's); nil for any other topic.
    public init?(inputOf spec: JobSpec) {
        guard let job = BenchJob.allCases.first(where: { $0.spec.source.topic == spec.source.topic }) else { return nil }
        self = job
    }
}
