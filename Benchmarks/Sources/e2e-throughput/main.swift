import BenchSupport
import Foundation
import StreamCore

// End-to-end sustained throughput and latency on the embedded cluster, in-process: a producer
// thread writes generated records into the job's input topic at a fixed rate while LocalJobRunner
// runs the job unbounded (10 s checkpoints); the rate steps up until lag stops being bounded.
//
//   e2e-throughput [--jobs customer-analytics,order-fraud] [--delivery exactly-once,at-least-once,transactional]
//                  [--rates 100K,200K,300K,400K] [--seconds 20] [--partitions 2] [--customers 10K] [--json out.json]
//
// Latency is, per result record, the time a consumer received it minus its Kafka CreateTime (the
// job's sink stamps it when producing, right after the window fired): what it adds to the
// watermark passing a window's end is the wait for the batch the record was in to finish
// processing (at most 4,096 records).

let args = Arguments(usage: """
    e2e-throughput [--jobs customer-analytics,order-fraud] [--delivery exactly-once,at-least-once,transactional]
                   [--rates 100K,200K,300K,400K] [--seconds 20] [--partitions 2] [--customers 10K]
                   [--kafka key=value,...] [--json out.json]
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
let kafka = Dictionary(uniqueKeysWithValues: args.list("kafka", default: []).map { pair -> (String, String) in
    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { fatalError("--kafka takes key=value pairs, got \(pair)") }
    return (parts[0], parts[1])
})

var results: [E2EStep] = []
emit("job                 delivery       rate/s    sustained  consumed/s  lag_end   lag_max   p50_ms  p99_ms  max_ms  results")
for job in jobs {
    let pool = RecordPool(job: job, count: 200_000, customers: customers, partitions: partitions)
    for delivery in deliveries {
        for rate in rates {
            let step = try E2EStep.run(job: job, delivery: delivery, rate: rate, seconds: seconds,
                                       partitions: partitions, pool: pool, kafka: kafka)
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
