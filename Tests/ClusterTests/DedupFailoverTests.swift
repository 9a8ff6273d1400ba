import Cluster
import Foundation
import TestSupport
import Testing

/// `DedupJob` in cluster mode: a taskmanager killed with SIGKILL while it runs the job's tasks,
/// which resume on the other from their checkpoints with their dedup entries; the output is what
/// an uninterrupted run writes, nothing lost or twice.
@Suite(.serialized) struct DedupFailoverTests {
    // Unbounded, so its tasks are there to kill however fast the machine reads the input; a stop
    // with drain then fires every window, as a bounded run's end does.
    static let eventsPerTopic = 60_000

    @Test func taskManagerKilledMidRunLeavesTheDedupOutputOfAnUninterruptedRun() async throws {
        let expected = try DedupJob.uninterruptedOutput(eventsPerTopic: Self.eventsPerTopic)
        #expect(expected.count > 1_000)
        let twice = DedupJob.windowsCountingATypeTwice(expected)
        #expect(twice.isEmpty, "\(twice.prefix(3))")

        let run = try await ClusterRun(eventsPerTopic: Self.eventsPerTopic)
        defer { run.stop() }
        try DedupJob.createTopics(in: run.fixture)
        #expect(try DedupJob.repeatedInputGroups(run.fixture) > 100, "the input repeats types within a window, for the dedup to drop")
        let jobs = try await run.submitUnbounded(yaml: DedupJob.yaml)
        try await poll("a task busy on tm-0", every: 20, detail: { await run.state(of: jobs) }) {
            try await !run.busyTasks(onTaskManagerNamed: "tm-0", jobs: jobs).tasks.isEmpty
        }
        run.taskManagers[0].kill9()
        try await run.drainOnceAllInputRead(jobs, on: "tm-1")

        #expect(try DedupJob.output(run.fixture) == expected)
        let audit = try run.fixture.sequenceAudit(topics: DedupJob.topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
    }
}
