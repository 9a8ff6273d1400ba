import Foundation
import Jobs
import Testing

/// A minimal valid job, one concern per line, so each test changes one thing and knows its line.
enum Fixture {
    static let file = "jobs.yaml"

    static let job = """
        jobs:
          - name: payments
            source: { topic: in }
            key: data.id
            fields:
              - { path: data.id, type: string, required: true }
              - { path: data.status, type: string }
              - { path: data.amount, type: number }
            watermark: { outOfOrderness: 5s }
            window: { kind: tumbling, size: 1m }
            aggregations:
              - { name: total, kind: sum, field: data.amount }
            output: { topic: out, type: t, source: /s }
            late: { topic: late }
            deadLetter: { topic: dlq }
        """

    /// The fixture with `old` (which must occur in it) replaced by `new`.
    static func replacing(_ old: String, with new: String) -> String {
        precondition(job.contains(old), "fixture has no \(old)")
        return job.replacingOccurrences(of: old, with: new)
    }

    /// The error loading `yaml` throws; records a failure when it loads.
    static func error(_ yaml: String) -> JobDefinitionError? {
        #expect(throws: JobDefinitionError.self) { try JobDefinitionLoader.load(yaml: yaml, file: file) }
    }
}
