import BenchSupport
import Foundation

// Engine-only throughput: each BSS job's full per-record pipeline (parse -> WindowOperator ->
// OutputBatch encoding) on one thread, fed from generated records in memory, no broker.
//
//   engine-throughput [--jobs customer-analytics,order-fraud] [--events 1M,10M] [--customers 10K,1M]
//                     [--runs 3] [--stage full|parse] [--json out.json]
//
// Prints one line per (job, events, customers) with the range over runs of records/s by wall
// time and by thread CPU time (steadier on a shared machine).

let args = Arguments(usage: """
    engine-throughput [--jobs customer-analytics,order-fraud] [--events 1M,10M] [--customers 10K,1M]
                      [--runs 3] [--stage full|parse] [--json out.json]
    """)
let jobs = args.list("jobs", default: BenchJob.allCases.map(\.rawValue)).map {
    guard let job = BenchJob(rawValue: $0) else { fatalError("unknown job \($0)") }
    return job
}
let eventCounts = args.ints("events", default: [1_000_000, 10_000_000])
let customerCounts = args.ints("customers", default: [10_000, 1_000_000])
let runs = args.int("runs", default: 3)
let stage = args.string("stage", default: "full")
guard stage == "full" || stage == "parse" else { fatalError("--stage is full or parse") }

var results: [ThroughputResult] = []
emit("job                 stage  events     customers  generate_s  wall_rec/s (min-max)     cpu_rec/s (min-max)      out_records")
for job in jobs {
    for events in eventCounts {
        for customers in customerCounts {
            let generating = Stopwatch()
            let input = GeneratedInput(job: job, count: events, customers: customers)
            let generateSeconds = generating.elapsed.wall
            var result = ThroughputResult(job: job.rawValue, stage: stage, events: events, customers: customers)
            for _ in 0..<runs {
                let watch = Stopwatch()
                if stage == "parse" {
                    result.outRecords = ParseOnly.run(job.spec, input)
                } else {
                    var pipeline = EnginePipeline(spec: job.spec)
                    try pipeline.run(input)
                    result.outRecords = pipeline.counts.recordsOut
                }
                let (wall, cpu) = watch.elapsed
                result.add(wall: wall, cpu: cpu)
            }
            results.append(result)
            emit(result.line(generateSeconds: generateSeconds))
        }
    }
}
if let path = Optional(args.string("json", default: "")), !path.isEmpty {
    let data = try JSONEncoder().encode(results)
    try data.write(to: URL(fileURLWithPath: path))
}
