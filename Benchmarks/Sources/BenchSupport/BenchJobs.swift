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

    public static func load() -> [JobSpec] {
        do {
            return try JobDefinitionLoader.load(path: "\(repositoryRoot)/jobs.yaml")
        } catch {
            fatalError("cannot load jobs.yaml: \(error)")
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
}
