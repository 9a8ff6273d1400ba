import Foundation
import StreamCore
import Synchronization
import TestSupport
import Testing

/// A local run whose task fails ends with the task's error: it neither hangs nor hides it.
@Suite(.serialized) struct LocalRunFailureTests {
    @Test func aTaskThatCannotStartEndsTheRunWithItsError() throws {
        let fixture = try ClusterFixture()
        let dir = temporaryDirectory("start-failure")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // librdkafka rejects this setting for an idempotent producer, so the preflight's consumer
        // passes and the task's producer, created when the slot starts the task, fails.
        let runner = LocalJobRunner(jobs: [fixture.job("customer-analytics")], options: .init(
            bootstrapServers: fixture.cluster.bootstrapServers, bounded: true, slots: 1, checkpointDir: dir,
            kafka: ["queue.buffering.backpressure.threshold": "5"]))
        let outcome = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                try runner.run()
                outcome.withLock { $0 = "finished without an error" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }
        let ended = finished.wait(timeout: .now() + 60) == .success
        #expect(ended, "the run did not end within 60 s of its task failing")
        if !ended { runner.stop() }
        let message = outcome.withLock { $0 } ?? ""
        #expect(message.contains("queue.buffering.backpressure.threshold"), "\(message)")
    }
}
