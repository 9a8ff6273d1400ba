import Foundation
import Jobs
import Testing

/// A minimal valid job, one concern per line, so each test changes one thing and knows its line.
enum Fixture {
    static let file = "jobs.yaml"

    static let job = """
        jobs:
          - name: payments
            source:
              topic: in
              key: data.id
              fields:
                - { path: data.id, type: string, required: true }
                - { path: data.status, type: string }
                - { path: data.amount, type: number }
              watermark: { outOfOrderness: 5s }
            steps:
              - window: { kind: tumbling, size: 1m }
                aggregate:
                  - { name: total, sum: data.amount }
            sinks:
              - { topic: out, type: t, source: /s }
            late: { topic: late }
            deadLetter: { topic: dlq }
        """

    /// The fixture with `old` (which must occur in it) replaced by `new`.
    static func replacing(_ old: String, with new: String) -> String {
        precondition(job.contains(old), "fixture has no \(old)")
        return job.replacingOccurrences(of: old, with: new)
    }

    /// Every error loading `yaml` reports; records a failure when it loads.
    static func errors(_ yaml: String) -> [JobDefinitionError] {
        let thrown = #expect(throws: JobDefinitionErrors.self) { try JobDefinitionLoader.load(yaml: yaml, file: file) }
        return thrown?.errors ?? []
    }

    /// The one error loading `yaml` reports; records a failure when it loads or reports several.
    static func error(_ yaml: String) -> JobDefinitionError? {
        let all = errors(yaml)
        #expect(all.count <= 1, "expected one error, got \(all)")
        return all.first
    }
}
