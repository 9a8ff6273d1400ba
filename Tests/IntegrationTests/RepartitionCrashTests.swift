import Foundation
import StreamCore
import TestSupport
import Testing

/// order-fraud over a topic partitioned by order id (examples/order-fraud-by-order.yaml): its
/// `keyBy` makes it two stages joined by a repartition topic. A bounded run of the real
/// `jobmanager` binary, killed with SIGKILL in stage 1, in stage 2 or in both and restarted from
/// its checkpoints, writes exactly what docs/bss-jobs.md defines for the same orders partitioned
/// by customer (`RepartitionedOrders` says what "exactly" leaves out): every window result and
/// alert, every dead letter, nothing missing, nothing extra, none twice.
@Suite(.serialized) struct RepartitionCrashTests {
    static let orders = 20_000

    func run(crashes: [String]) throws -> (ClusterFixture, RepartitionedOrders) {
        let fixture = try ClusterFixture()
        let input = try RepartitionedOrders(orders: Self.orders, fixture: fixture)
        #expect(input.expectedLate == 0, "the input has no record later than the bound")
        #expect(input.expected.count > 5_000 && input.expected.contains { $0.topic == "bss.fraud.alerts" })
        #expect(!input.badValues.isEmpty)
        let dir = temporaryDirectory("repartition")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobs = "\(dir)/jobs.yaml"
        try RepartitionedOrders.yaml(checkpointInterval: "50ms").write(toFile: jobs, atomically: true, encoding: .utf8)
        try JobManagerProcess.runThroughCrashes(crashes, jobsFile: jobs, bootstrapServers: fixture.cluster.bootstrapServers,
                                                checkpointDir: "\(dir)/checkpoints")
        return (fixture, input)
    }

    @Test func uninterruptedRunWritesWhatTheSpecDefinesForTheOrdersByCustomer() throws {
        let (fixture, input) = try run(crashes: [])
        let comparison = try input.compare(with: fixture)
        #expect(comparison.isExact, "\(comparison)")
        // Every order that passed stage 1 crossed the repartition topic keyed by its customer.
        let shuffled = try fixture.read(RepartitionedOrders.repartitionTopic)
        let records = shuffled.filter { !$0.value.isEmpty }
        #expect(records.count == Self.orders - input.badValues.count)
        for r in records.prefix(200) {
            let key = String(decoding: r.key, as: UTF8.self)
            #expect(String(decoding: r.value, as: UTF8.self).contains("\"customerId\":\"\(key)\""))
            #expect(r.partition == r.key.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: fixture.partitions) })
        }
        // Each stage-1 task ended by writing plus infinity into every partition.
        let ends = shuffled.filter { $0.value.isEmpty && String(decoding: $0.key, as: UTF8.self).hasSuffix(":\(Int64.max)") }
        #expect(ends.count == Int(fixture.partitions * fixture.partitions))
    }

    // Each stage has 4 tasks, each checkpointing at its start and its end: hit 6 of a checkpoint
    // step in one stage comes mid-run or at the latest as the stage ends. Each task hands output
    // to its producer at least once (stage 1 its records, stage 2 its last firing), so hit 3 of
    // output-produced in a stage comes however the batches fall.
    @Test(arguments: [
        ["output-produced:3:order-fraud.stage-1"],
        ["checkpoint-state-written:6:order-fraud.stage-1"],
        ["output-produced:3:order-fraud.stage-2"],
        ["checkpoint-flushed:6:order-fraud.stage-2"],
        ["checkpoint-published:6:order-fraud.stage-1", "output-produced:3:order-fraud.stage-2"],
    ])
    func killedInAStageAndRestartedWritesWhatTheSpecDefines(crashes: [String]) throws {
        let (fixture, input) = try run(crashes: crashes)
        let comparison = try input.compare(with: fixture)
        #expect(comparison.isExact, "\(comparison)")
    }
}
