import Cluster
import Foundation
import TestSupport
import Testing

/// A session-window job in cluster mode: a taskmanager killed with SIGKILL while it runs the
/// job's tasks, which resume from their checkpoints on the other; the output is what an
/// uninterrupted run writes, nothing lost or twice.
///
/// The job runs unbounded, so its tasks are there to kill however fast the machine reads the
/// input (a bounded run can finish between two heartbeats); once every task has read all its
/// input on the survivors, a stop with drain fires every session window, as a bounded run's end does.
@Suite(.serialized) struct SessionFailoverTests {
    static let eventsPerTopic = 60_000

    @Test func taskManagerKilledMidRunLeavesTheSessionOutputOfAnUninterruptedRun() async throws {
        let expected = try SessionJob.uninterruptedOutput(eventsPerTopic: Self.eventsPerTopic)
        #expect(expected.count > 1_000)

        let run = try await ClusterRun(eventsPerTopic: Self.eventsPerTopic)
        defer { run.stop() }
        try SessionJob.createTopics(in: run.fixture)
        let jobs = try await run.submitUnbounded(yaml: SessionJob.yaml)
        try await poll("a task busy on tm-0", every: 20, detail: { await run.state(of: jobs) }) {
            try await !run.busyTasks(onTaskManagerNamed: "tm-0", jobs: jobs).tasks.isEmpty
        }
        run.taskManagers[0].kill9()
        try await run.drainOnceAllInputRead(jobs, on: "tm-1")

        #expect(try SessionJob.output(run.fixture) == expected)
        let audit = try run.fixture.sequenceAudit(topics: SessionJob.topics)
        #expect(audit.duplicates.isEmpty && audit.gaps.isEmpty, "\(audit)")
    }
}
