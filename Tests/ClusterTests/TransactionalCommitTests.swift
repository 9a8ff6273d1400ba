import Foundation
import StreamCore
import TestSupport
import Testing

/// A transactional task in a slot, driven the way a taskmanager drives it. Under a jobmanager
/// (`commitOnCompletionNotice`) a requested checkpoint is published and acknowledged but its
/// transaction is committed only on the completion notice, and nothing is consumed meanwhile;
/// in local mode the task commits at the checkpoint itself.
@Suite(.serialized) struct TransactionalCommitTests {
    final class Harness {
        let fixture: ClusterFixture
        let dir = temporaryDirectory("txn")
        let lease = Lease()
        let slot: Slot
        let id: TaskId
        let source: String

        init(commitOnNotice: Bool) throws {
            fixture = try ClusterFixture()
            try fixture.produceGenerated(count: 2_000)
            var spec = fixture.job("customer-analytics")
            spec.delivery = .transactional
            source = spec.source.topic
            id = TaskId(job: spec.name, topic: source, partition: 0)
            // Unbounded, so the task stays until the test is done with it.
            var config = TaskConfiguration(kafka: fixture.kafka, checkpointRoot: dir, bounded: false)
            config.lease = lease
            config.commitOnCompletionNotice = commitOnNotice
            lease.renew(sentAt: Lease.now(), durationMs: 3_600_000)
            slot = Slot(index: 0, mode: .managed(lease))
            let partitions = Dictionary(uniqueKeysWithValues: spec.topics.map { ($0, fixture.partitions) })
            slot.submit(.start(Slot.Assignment(id: id, spec: spec, config: config, sinkPartitions: partitions)))
            slot.start()
        }

        /// The task's figures (-2 before it exists).
        var checkpointed: Int64 { slot.metrics[id]?.lastCheckpointId.load(ordering: .relaxed) ?? -2 }
        var committed: Int64 { slot.metrics[id]?.lastCommittedCheckpointId.load(ordering: .relaxed) ?? -2 }
        var awaiting: Int64 { slot.metrics[id]?.awaitingCommit.load(ordering: .relaxed) ?? -2 }
        var nextOffset: Int64 { slot.metrics[id]?.nextOffset.load(ordering: .relaxed) ?? -2 }

        func endOffset() throws -> Int64 {
            try KafkaConsumer(config: fixture.kafka).watermarkOffsets(topic: source, partition: 0, timeoutMs: 10_000).high
        }

        func waitUntilConsumed() async throws {
            let end = try endOffset()
            try await poll("task consumed its partition to \(end)") { nextOffset == end }
        }

        func finish() {
            slot.stop()
            slot.wait()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func underAJobManagerTheTransactionCommitsOnlyOnTheCompletionNotice() async throws {
        let h = try Harness(commitOnNotice: true)
        defer { h.finish() }
        try await h.waitUntilConsumed()
        #expect(h.committed == 0, "the task's own first checkpoint commits at once")

        h.slot.submit(.checkpoint(h.id, id: 1))
        try await poll("checkpoint 1 acknowledged") { h.checkpointed >= 1 }
        #expect(h.committed == 0, "acknowledged, not committed")
        #expect(h.awaiting == 1)

        // Held: new input is not consumed while the transaction waits (a window in which a task
        // that did not hold would consume it; holding is never timing-dependent).
        let before = h.nextOffset
        try h.fixture.produceGenerated(count: 500, seed: 12)
        try await Task.sleep(for: .seconds(1))
        #expect(h.nextOffset == before)

        h.slot.submit(.commit(h.id, completed: 1))
        try await poll("checkpoint 1 committed") { h.committed == h.checkpointed }
        #expect(h.awaiting == -1)
        try await h.waitUntilConsumed()

        // A repeated notice (its answer was lost and given again) commits nothing twice.
        h.slot.submit(.commit(h.id, completed: 1))
        h.slot.submit(.checkpoint(h.id, id: 2))
        try await poll("checkpoint 2 acknowledged") { h.checkpointed >= 2 }
        #expect(h.slot.reports.first?.state == .running, "\(h.slot.reports)")
        #expect(h.committed < h.checkpointed)
    }

    @Test func inLocalModeTheTransactionCommitsAtTheCheckpoint() async throws {
        let h = try Harness(commitOnNotice: false)
        defer { h.finish() }
        try await h.waitUntilConsumed()
        h.slot.submit(.checkpoint(h.id, id: 1))
        try await poll("checkpoint 1 taken") { h.checkpointed >= 1 }
        #expect(h.committed == h.checkpointed)
        #expect(h.awaiting == -1)
    }
}
