import BenchSupport
import Foundation
import StreamCore
import Synchronization

/// One rate held for a fixed time on a fresh cluster and job.
struct E2EStep: Codable {
    let job: String
    let delivery: String
    let rate: Int
    /// The input rate the harness's producer reached; below the step's rate, the step measured
    /// the producer, not the job, and does not count as sustained.
    var producedPerSecond = 0.0
    var consumedPerSecond = 0.0
    var lagEnd: Int64 = 0
    var lagMax: Int64 = 0
    var sustained = false
    /// From a window's firing (the watermark passing its end) to a consumer receiving its result.
    var latencyP50Ms: Int64 = -1
    var latencyP99Ms: Int64 = -1
    var latencyMaxMs: Int64 = -1
    /// From the job's sink producing a result to a consumer receiving it: the Kafka path's share.
    var producedToReadP50Ms: Int64 = -1
    var producedToReadP99Ms: Int64 = -1
    var results = 0

    /// Bounded lag: behind by at most one second of input at the end, two at worst over the step's
    /// second half, with the input produced at 97 % of the rate or more.
    static func run(job: BenchJob, delivery: DeliveryGuarantee, rate: Int, seconds: Int, partitions: Int32,
                     pool: RecordPool, kafka: [String: String], probe probeConfig: [String: String],
                     latencyFile: String?) throws -> E2EStep {
        var step = E2EStep(job: job.rawValue, delivery: delivery.rawValue, rate: rate)
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        var spec = job.spec
        spec.delivery = delivery
        spec.checkpointIntervalMs = 10_000
        for topic in spec.topics { try cluster.createTopic(topic, partitions: partitions) }
        let checkpoints = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: checkpoints) }
        let runner = LocalJobRunner(jobs: [spec], options: .init(bootstrapServers: cluster.bootstrapServers, bounded: false,
                                                                 slots: 1, checkpointDir: checkpoints, kafka: kafka))
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        Thread {
            do { try runner.run() } catch { failure.withLock { $0 = "\(error)" } }
            finished.signal()
        }.start()
        while runner.taskMetrics.count < Int(partitions) { usleep(50_000) }

        let probe = try LatencyProbe(bootstrapServers: cluster.bootstrapServers, topic: spec.sinks[0].topic, partitions: partitions,
                                     config: probeConfig)
        probe.start()
        let producer = try RateProducer(bootstrapServers: cluster.bootstrapServers, topic: spec.source.topic, records: pool, rate: rate)
        producer.start()
        func consumed() -> Int64 { runner.taskMetrics.values.reduce(0) { $0 + $1.nextOffset.load(ordering: .relaxed) } }

        sleep(3) // warm-up: connections, first fetches, first windows
        probe.record(true)
        let startConsumed = consumed()
        let startProduced = producer.produced.load(ordering: .relaxed)
        let watch = Stopwatch()
        for second in 1...seconds {
            sleep(1)
            let lag = producer.produced.load(ordering: .relaxed) - consumed()
            if second * 2 > seconds { step.lagMax = max(step.lagMax, lag) }
            step.lagEnd = lag
        }
        let elapsed = watch.elapsed.wall
        step.consumedPerSecond = Double(consumed() - startConsumed) / elapsed
        step.producedPerSecond = Double(producer.produced.load(ordering: .relaxed) - startProduced) / elapsed
        probe.record(false)
        producer.stop()
        runner.stop()
        finished.wait()
        // A failed job's figures would describe whatever ran before it failed.
        if let failure = failure.withLock({ $0 }) { fatalError("job failed: \(failure)") }
        let latency = probe.finish()
        if let latencyFile { try probe.writeSamples(to: latencyFile) }
        (step.results, step.latencyP50Ms, step.latencyP99Ms, step.latencyMaxMs) =
            (latency.fromFiring.count, latency.fromFiring.p50, latency.fromFiring.p99, latency.fromFiring.max)
        (step.producedToReadP50Ms, step.producedToReadP99Ms) = (latency.fromProduce.p50, latency.fromProduce.p99)
        step.sustained = !step.inputShort && step.lagEnd <= Int64(rate) && step.lagMax <= 2 * Int64(rate)
        return step
    }

    var inputShort: Bool { producedPerSecond < 0.97 * Double(rate) }

    var line: String {
        func col(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
        return col(job, 20) + col(delivery, 15) + col(ThroughputResult.rate(Double(rate)), 10) + col(sustained ? "yes" : inputShort ? "input-short" : "NO", 12)
            + col(ThroughputResult.rate(producedPerSecond), 12) + col(ThroughputResult.rate(consumedPerSecond), 12) + col(String(lagEnd), 10) + col(String(lagMax), 10)
            + col(String(latencyP50Ms), 8) + col(String(latencyP99Ms), 8) + col(String(latencyMaxMs), 8)
            + col(String(producedToReadP50Ms), 10) + col(String(producedToReadP99Ms), 10) + String(results)
    }
}
