import BenchSupport
import Foundation

// Engine-only throughput: a job's whole per-record pipeline (parse -> steps -> window or stateless
// sinks -> OutputBatch encoding) on one thread, fed from generated records in memory, no broker.
//
//   engine-throughput [--definition FILE] [--jobs NAME,...] [--events 1M,10M] [--customers 10K,1M]
//                     [--runs 3] [--stage full|parse|full,parse] [--json out.json]
//
// Prints one line per (job, events, customers, stage) with the range over runs of records/s by
// wall time and by thread CPU time (steadier on a shared machine).

let args = Arguments(usage: """
    engine-throughput [--definition FILE] [--jobs NAME,...] [--events 1M,10M] [--customers 10K,1M]
                      [--runs 3] [--stage full|parse|full,parse] [--json out.json]

      --definition  a job file in the jobs.yaml format (default: the repository's jobs.yaml); each
                    job must read bss.customer.events or bss.order.events (the generated inputs)
      --jobs        jobs of that file (default: all of them); --job is the same option
      --stage       full (the whole pipeline), parse (the reader alone), or both, on the same input
    """)
let definition = args.string("definition", default: "")
let specs = definition.isEmpty ? BenchJobs.load() : BenchJobs.load(path: definition)
let names = args.list("jobs", default: args.list("job", default: specs.map(\.name)))
let jobs = names.map { name in
    guard let spec = specs.first(where: { $0.name == name }) else {
        fatalError("no job \(name) in \(definition.isEmpty ? "jobs.yaml" : definition)")
    }
    guard let input = BenchJob(inputOf: spec) else {
        fatalError("job \(name) reads \(spec.source.topic): no generated input for that topic")
    }
    return (spec: spec, input: input)
}
let eventCounts = args.ints("events", default: [1_000_000, 10_000_000])
let customerCounts = args.ints("customers", default: [10_000, 1_000_000])
let runs = args.int("runs", default: 3)
let stages = args.list("stage", default: ["full"])
guard stages.allSatisfy({ $0 == "full" || $0 == "parse" }) else { fatalError("--stage is full, parse or full,parse") }

var results: [ThroughputResult] = []
emit("job                 stage  events     customers  generate_s  wall_rec/s (min-max)     cpu_rec/s (min-max)      out_records")
for job in jobs {
    for events in eventCounts {
        for customers in customerCounts {
            let generating = Stopwatch()
            let input = GeneratedInput(job: job.input, count: events, customers: customers)
            let generateSeconds = generating.elapsed.wall
            for stage in stages {
                var result = ThroughputResult(job: job.spec.name, stage: stage, events: events, customers: customers)
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
}
if let path = Optional(args.string("json", default: "")), !path.isEmpty {
    let data = try JSONEncoder().encode(results)
    try data.write(to: URL(fileURLWithPath: path))
}
