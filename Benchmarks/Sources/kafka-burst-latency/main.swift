import BenchSupport
import Foundation
import StreamCore
import Synchronization

// What the Kafka path alone adds to a result's latency, with no job: bursts of records like a
// window firing's results (customer-analytics result JSON, all produced at once) go through a
// producer with the engine's settings into the embedded cluster, and a consumer measures each
// record's receive time minus its CreateTime, as e2e-throughput's probe does. The floor under
// e2e-throughput's latency figures. `--load N` adds what e2e-throughput's input producer and the
// job's consumer put on the same process and broker: N input-like records/s produced into another
// topic and read back.
//
//   kafka-burst-latency [--records 10K] [--bursts 30] [--interval-ms 300] [--partitions 2] [--load 0]
//                       [--producer key=value,...] [--consumer key=value,...] [--json out.json]

let args = Arguments(usage: """
    kafka-burst-latency [--records 10K] [--bursts 30] [--interval-ms 300] [--partitions 2] [--load 0]
                        [--producer key=value,...] [--consumer key=value,...] [--json out.json]
    """)
let records = args.int("records", default: 10_000)
let bursts = args.int("bursts", default: 30)
let intervalMs = args.int("interval-ms", default: 300)
let partitions = Int32(args.int("partitions", default: 2))
let load = args.int("load", default: 0)

/// Record `i`'s key: one of 10K customers.
func customer(_ i: Int) -> String { "C\(100_000 + i % 10_000)" }

/// A customer-analytics result as docs/bss-jobs.md §3 shows it, for customer `i` (~430 bytes).
func result(_ i: Int) -> [UInt8] {
    let c = customer(i)
    return Array("""
        {"specversion":"1.0","id":"customer-analytics:\(c):1762250400000:0","source":"/stream/customer-analytics",\
        "type":"bss.analytics.customer.window","time":"2025-11-04T10:05:00.000Z","subject":"\(c)",\
        "datacontenttype":"application/json","data":{"customerId":"\(c)","windowStart":"2025-11-04T10:00:00.000Z",\
        "windowEnd":"2025-11-04T10:05:00.000Z","eventCount":\(i % 13 + 1),"amountCount":\(i % 5),\
        "totalAmount":\(Double(i % 977) * 1.25),"avgAmount":12.75,"minAmount":3.0,"maxAmount":25.0,\
        "eventTypes":{"PAGE_VIEW":\(i % 7),"PURCHASE":\(i % 4)},"revision":0}}
        """.utf8)
}

/// Input events like the generator's (~330 bytes), built once and the same in every pass.
struct InputLikeEvents: ReplayedRecords {
    let partitions: Int32
    private let keys: [[UInt8]]
    private let values: [[UInt8]]

    init(partitions: Int32, count: Int = 50_000) {
        self.partitions = partitions
        keys = (0..<count).map { Array(customer($0).utf8) }
        values = (0..<count).map { i in
            Array("""
                {"specversion":"1.0","id":"evt-\(i)","source":"/bss/crm","type":"bss.customer.event",\
                "time":"2025-11-04T10:\(10 + i % 50):\(10 + i % 49).\(100 + i % 900)Z","subject":"\(customer(i))",\
                "datacontenttype":"application/json","data":{"customerId":"\(customer(i))","eventType":"PAGE_VIEW",\
                "amount":\(Double(i % 977) * 0.25),"channel":"web"}}
                """.utf8)
        }
    }

    var count: Int { values.count }
    func key(_ i: Int) -> [UInt8] { keys[i] }
    func partition(_ i: Int) -> Int32 { Int32(i % Int(partitions)) }

    func value(_ i: Int, pass: Int64, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: values[i])
    }
}

let cluster = try EmbeddedKafkaCluster(brokers: 1)
try cluster.createTopic("burst", partitions: partitions)
// The job's producer settings (KafkaProducer's defaults), then `--producer`'s.
let producer = try KafkaProducer(config: args.properties("producer").merging(["bootstrap.servers": cluster.bootstrapServers]) { $1 })
let probe = try LatencyProbe(bootstrapServers: cluster.bootstrapServers, topic: "burst", partitions: partitions,
                             config: args.properties("consumer"))
probe.start()

let loadStop = Atomic<Bool>(false)
var loadProducer: RateProducer<InputLikeEvents>?
if load > 0 {
    try cluster.createTopic("load", partitions: partitions)
    loadProducer = try RateProducer(bootstrapServers: cluster.bootstrapServers, topic: "load",
                                    records: InputLikeEvents(partitions: partitions), rate: load)
    loadProducer?.start()
    let loadConsumer = try KafkaConsumer(config: ["bootstrap.servers": cluster.bootstrapServers])
    try loadConsumer.assign((0..<partitions).map { TopicPartitionOffset(topic: "load", partition: $0, offset: 0, metadata: nil) })
    Thread {
        while !loadStop.load(ordering: .relaxed) {
            _ = try? loadConsumer.consumeBatch(maxRecords: 4096, timeoutMs: 10) { _ in }
        }
    }.start()
    sleep(2)
}

let keys = (0..<records).map { Array(customer($0).utf8) }
let values = (0..<records).map(result)
probe.record(true)
let watch = Stopwatch()
var producing = 0.0
for burst in 0..<bursts {
    let start = Stopwatch()
    for i in 0..<records {
        try keys[i].withUnsafeBytes { k in
            try values[i].withUnsafeBytes { v in
                try producer.produce(topic: "burst", partition: Int32(i) % partitions, key: k, value: v, headers: [])
            }
        }
        if i % 1024 == 0 { producer.poll(timeoutMs: 0) }
    }
    producing += start.elapsed.wall
    let due = Double((burst + 1) * intervalMs) / 1000
    while watch.elapsed.wall < due { producer.poll(timeoutMs: 10) }
}
try producer.flush(timeoutMs: 10_000)
loadProducer?.stop()
loadStop.store(true, ordering: .relaxed)
sleep(1)
let latency = probe.finish().fromProduce
let (count, p50, p99, maxMs) = (latency.count, latency.p50, latency.p99, latency.max)
let path = args.string("json", default: "")
if !path.isEmpty {
    let figures = ["records": records, "bursts": bursts, "load": load, "received": count,
                   "latencyP50Ms": Int(p50), "latencyP99Ms": Int(p99), "latencyMaxMs": Int(maxMs)]
    try JSONEncoder().encode(figures).write(to: URL(fileURLWithPath: path))
}
print("records/burst \(records)  bursts \(bursts)  load \(load)/s  received \(count)  "
      + "produce \(Int(producing / Double(bursts) * 1000)) ms/burst  p50 \(p50) ms  p99 \(p99) ms  max \(maxMs) ms")
