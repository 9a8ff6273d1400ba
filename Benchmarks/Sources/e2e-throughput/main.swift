import BenchSupport
import Foundation
import StreamCore

// End-to-end sustained throughput and latency on the embedded cluster, in-process: a producer
// thread writes generated records into the job's input topic at a fixed rate while LocalJobRunner
// runs the job unbounded (10 s checkpoints); the rate steps up until lag stops being bounded.
//
//   e2e-throughput [--jobs customer-analytics,order-fraud] [--delivery exactly-once,at-least-once,transactional]
//                  [--rates 100K,200K,300K,400K] [--seconds 20] [--partitions 2] [--customers 10K]
//                  [--kafka key=value,...] [--probe key=value,...] [--json out.json] [--latencies DIR]
//
// Latency is, per result record, the time a consumer received it minus the time its window fired
// (the engine's `stream.fired` header: when the watermark passed the window's end), p50/p99/max;
// prod_p50/prod_p99 are the same from its Kafka CreateTime (when the job's sink produced it), the
// Kafka path's share. The difference is the firing's own time: encoding the results before it.

let args = Arguments(usage: """
    e2e-throughput [--jobs customer-analytics,order-fraud] [--delivery exactly-once,at-least-once,transactional]
                   [--rates 100K,200K,300K,400K] [--seconds 20] [--partitions 2] [--customers 10K]
                   [--kafka key=value,...] [--probe key=value,...] [--json out.json] [--latencies DIR]
    """)
let jobs = args.list("jobs", default: BenchJob.allCases.map(\.rawValue)).map {
    guard let job = BenchJob(rawValue: $0) else { fatalError("unknown job \($0)") }
    return job
}
let deliveries = args.list("delivery", default: ["exactly-once"]).map {
    guard let d = DeliveryGuarantee(rawValue: $0) else { fatalError("unknown delivery \($0)") }
    return d
}
let rates = args.ints("rates", default: [100_000, 200_000, 300_000, 400_000])
let seconds = args.int("seconds", default: 20)
let partitions = Int32(args.int("partitions", default: 2))
let customers = args.int("customers", default: 10_000)
// Extra librdkafka properties for the job's clients, `--kafka linger.ms=1,compression.type=lz4`.
let kafka = args.properties("kafka")
// Extra librdkafka properties for the latency probe's consumer, `--probe fetch.wait.max.ms=1`.
let probe = args.properties("probe")
// A directory for each step's samples, `<job>-<delivery>-<rate>.txt`: per result received, its
// CreateTime and its latencies in ms, in receive order (see LatencyProbe.writeSamples).
let latencies = args.string("latencies", default: "")

var results: [E2EStep] = []
emit("job                 delivery       rate/s    sustained   produced/s  consumed/s  lag_end   lag_max   p50_ms  p99_ms  max_ms  prod_p50  prod_p99  results")
for job in jobs {
    let pool = RecordPool(job: job, count: 200_000, customers: customers, partitions: partitions)
    for delivery in deliveries {
        for rate in rates {
            let step = try E2EStep.run(job: job, delivery: delivery, rate: rate, seconds: seconds,
                                       partitions: partitions, pool: pool, kafka: kafka, probe: probe,
                                       latencyFile: latencies.isEmpty ? nil : "\(latencies)/\(job.rawValue)-\(delivery.rawValue)-\(rate).txt")
            results.append(step)
            emit(step.line)
            if !step.sustained { break }
        }
    }
}
let path = args.string("json", default: "")
if !path.isEmpty {
    try JSONEncoder().encode(results).write(to: URL(fileURLWithPath: path))
}
