import Cluster
import Foundation
import TestSupport
import Testing

/// examples/order-fraud-by-order.yaml in cluster mode: the jobmanager places the tasks of both
/// stages (shown with their stage and topic in GET /jobs/{id}) and checkpoints them; a
/// taskmanager killed with SIGKILL while it runs tasks of one stage leaves exactly the output
/// docs/bss-jobs.md defines for the same orders partitioned by customer.
@Suite(.serialized) struct RepartitionFailoverTests {
    /// Enough input that the run lasts well past the moment the test kills a taskmanager.
    static let orders = 60_000

    func killingATaskManagerBusyIn(stage: Int) async throws {
        let run = try await ClusterRun(eventsPerTopic: 1)
        defer { run.stop() }
        let input = try RepartitionedOrders(orders: Self.orders, fixture: run.fixture)
        #expect(input.expectedLate == 0 && !input.expected.isEmpty)
        let jobs = try await run.submitBounded(yaml: try RepartitionedOrders.yaml(checkpointInterval: "1s"))
        let id = try #require(jobs.first?.id)

        let detail = try #require(try await run.details(jobs).first)
        let partitions = Int(run.fixture.partitions)
        #expect(detail.tasks.map(\.stage) == Array(repeating: 1, count: partitions) + Array(repeating: 2, count: partitions))
        #expect(detail.tasks.map(\.topic) == Array(repeating: RepartitionedOrders.inputTopic, count: partitions)
            + Array(repeating: RepartitionedOrders.repartitionTopic, count: partitions))

        try await poll("a stage-\(stage) task busy on tm-0", every: 20, detail: { await run.state(of: jobs) }) {
            guard let tm = try await run.taskManagerId(named: "tm-0") else { return false }
            return try await run.details(jobs)[0].tasks.contains {
                $0.stage == stage && $0.taskmanager == tm && $0.state == "RUNNING" && ($0.recordsIn ?? 0) > 0
            }
        }
        if stage == 2 {
            // Stage 2's lag is that of the repartition topic, reported like a source's.
            let tasks = try await run.details(jobs)[0].tasks.filter { $0.stage == 2 }
            #expect(tasks.contains { $0.lag != nil && $0.endOffset != nil })
        }
        run.taskManagers[0].kill9()
        try await run.waitUntilFinished(jobs)
        let checkpoints = try await run.rest.fetch("/jobs/\(id)/checkpoints", as: RestViews.Checkpoints.self)
        #expect(checkpoints.completed > 0)

        // Stage 2 counts the records it read, not the stage-1 tasks' watermark control records.
        let stageTwo = try await run.details(jobs)[0].tasks.filter { $0.stage == 2 }
        #expect(stageTwo.compactMap(\.recordsIn).reduce(0, +) == Int64(Self.orders - input.badValues.count))
        // The plan counts records where they enter (stage 1) and results where they leave (stage 2).
        let nodes = try await run.rest.fetch("/jobs/\(id)/plan", as: RestViews.Plan.self).nodes
        let source = try #require(nodes.first { $0.id == "source" })
        #expect(source.recordsIn == Int64(Self.orders))
        let keyBy = try #require(nodes.first { $0.id == "by-customer" })
        #expect(keyBy.kind == "keyBy" && keyBy.description == "key by data.customerId, through \(RepartitionedOrders.repartitionTopic)")
        let window = try #require(nodes.first { $0.kind == "window" })
        #expect(window.recordsIn == Int64(Self.orders - input.badValues.count))
        #expect((window.recordsOut ?? 0) >= Int64(input.expected.count))

        let comparison = try input.compare(with: run.fixture)
        #expect(comparison.isExact, "\(comparison)")
    }

    @Test func taskManagerKilledWhileRunningStageOneLeavesTheSpecifiedOutput() async throws {
        try await killingATaskManagerBusyIn(stage: 1)
    }

    @Test func taskManagerKilledWhileRunningStageTwoLeavesTheSpecifiedOutput() async throws {
        try await killingATaskManagerBusyIn(stage: 2)
    }
}
