import BSSTools
import BenchSupport
import Foundation
import StreamCore

// The cost of a repartition end to end: order-fraud as shipped over orders partitioned by
// customer, against examples/order-fraud-by-order.yaml over the same orders partitioned by order
// id (its keyBy sends them through a repartition topic: two stages, twice the Kafka traffic).
// Both run bounded in local mode in this process, alternating, against the embedded cluster
// hosted by another process (`jobmanager embedded-kafka`, from the root package's release build),
// so what is measured is the job's CPU time per order (both stages), as on a real cluster, and
// the ratio.
let arguments = Arguments(usage: """
    repartition-cost [--orders 200K] [--partitions 8] [--customers 10K] [--rounds 3] [--slots 2] [--compression lz4] [--kafka a=b,...]
                     [--jobmanager ../.build/release/jobmanager]
    """)
let orders = arguments.int("orders", default: 200_000)
let partitions = Int32(arguments.int("partitions", default: 8))
let customers = arguments.int("customers", default: 10_000)
let rounds = arguments.int("rounds", default: 3)
let slots = arguments.int("slots", default: 2)
// The embedded broker keeps about 5 MB of batches per partition: compressed, more input fits.
// `--kafka a=b,c=d`: more librdkafka properties for every client of the jobs.
let kafka: [String: String] = {
    var properties = ["compression.type": arguments.string("compression", default: "lz4")]
    for pair in arguments.string("kafka", default: "").split(separator: ",") {
        let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
        if kv.count == 2 { properties[kv[0]] = kv[1] }
    }
    return properties
}()

let coPartitioned = BenchJobs.job("order-fraud")
let example = "\(BenchJobs.repositoryRoot)/examples/order-fraud-by-order.yaml"
let byOrder = BenchJobs.load(path: example)[0]

// Every run's topics, created by the broker's process: each run of the repartitioned job gets a
// repartition topic of its own (a new stage 2 reads its topic from the beginning).
let runsPerVariant = rounds + 1
let definitions = FileManager.default.temporaryDirectory.appendingPathComponent("repartition-cost-\(UUID().uuidString).yaml").path
let exampleText = try String(contentsOfFile: example, encoding: .utf8)
let renamed = (0..<runsPerVariant).map { exampleText.replacingOccurrences(of: "name: order-fraud", with: "name: order-fraud-\($0)") }
let shipped = try String(contentsOfFile: "\(BenchJobs.repositoryRoot)/jobs.yaml", encoding: .utf8)
try (["jobs:"] + ([shipped] + renamed).map { $0.components(separatedBy: "jobs:\n")[1] }).joined(separator: "\n")
    .write(toFile: definitions, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: definitions) }
let broker = Process()
broker.executableURL = URL(fileURLWithPath: arguments.string("jobmanager", default: "\(BenchJobs.repositoryRoot)/.build/release/jobmanager"))
broker.arguments = ["embedded-kafka", definitions, "--partitions", String(partitions)]
let brokerOutput = Pipe()
broker.standardOutput = brokerOutput
try broker.run()
defer { broker.terminate() }
var addressBytes: [UInt8] = []
while addressBytes.last != UInt8(ascii: "\n") {
    let byte = brokerOutput.fileHandleForReading.readData(ofLength: 1)
    guard let b = byte.first else { fatalError("jobmanager embedded-kafka ended without an address") }
    addressBytes.append(b)
}
let bootstrapServers = String(decoding: addressBytes.dropLast(), as: UTF8.self)
struct Cluster { let bootstrapServers: String }
let cluster = Cluster(bootstrapServers: bootstrapServers)

var options = BSSEventGenerator.Options()
options.customers = customers
options.partitions = partitions
var generator = BSSEventGenerator(options: options)
let producer = try KafkaProducer(config: kafka.merging(["bootstrap.servers": cluster.bootstrapServers]) { a, _ in a })

/// The next `count` generated orders, to both input topics.
@MainActor func produceOrders(_ count: Int) throws {
    for _ in 0..<count {
        let r = generator.nextOrderEvent()
        var orderKey = r.key
        let text = String(decoding: r.value, as: UTF8.self)
        if let start = text.range(of: "\"orderId\":\""), let end = text[start.upperBound...].firstIndex(of: "\"") {
            orderKey = Array(text[start.upperBound..<end].utf8)
        }
        let byOrderPartition = orderKey.withUnsafeBytes { KafkaPartitioner.partition(key: $0, partitionCount: partitions) }
        try r.key.withUnsafeBytes { k in
            try r.value.withUnsafeBytes { v in
                try producer.produce(topic: coPartitioned.source.topic, partition: r.partition, key: k, value: v, headers: [])
            }
        }
        try orderKey.withUnsafeBytes { k in
            try r.value.withUnsafeBytes { v in
                try producer.produce(topic: byOrder.source.topic, partition: byOrderPartition, key: k, value: v, headers: [])
            }
        }
    }
    try producer.flush(timeoutMs: 60_000)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// One bounded run of `spec` from scratch; its CPU and wall seconds.
func run(_ spec: JobSpec) throws -> (cpu: Double, wall: Double) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repartition-cost-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cpu = cpuSeconds(), wall = Date()
    try LocalJobRunner(jobs: [spec], options: .init(bootstrapServers: cluster.bootstrapServers, bounded: true, slots: slots,
                                                    checkpointDir: dir, kafka: kafka)).run()
    return (cpuSeconds() - cpu, Date().timeIntervalSince(wall))
}

/// A bounded run of each variant over what the input topics hold, per round.
var runs = 0
@MainActor func measure() throws -> [(co: (cpu: Double, wall: Double), re: (cpu: Double, wall: Double))] {
    try (0..<rounds).map { _ in
        var shuffled = byOrder
        shuffled.name = "order-fraud-\(runs)"
        runs += 1
        return (try run(coPartitioned), try run(shuffled))
    }
}

let generationStart = Date()
try produceOrders(orders)
print(String(format: "input produced in %.1f s", Date().timeIntervalSince(generationStart)))
let results = try measure()
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let co = median(results.map(\.co.cpu)), re = median(results.map(\.re.cpu))
let coWall = median(results.map(\.co.wall)), reWall = median(results.map(\.re.wall))
print("orders \(orders), partitions \(partitions), customers \(customers), slots \(slots), compression \(kafka["compression.type"]!)")
print("CPU s / wall s per run, co-partitioned:", results.map { String(format: "%.2f/%.2f", $0.co.cpu, $0.co.wall) },
      "repartitioned:", results.map { String(format: "%.2f/%.2f", $0.re.cpu, $0.re.wall) })
print(String(format: "median CPU per order: co-partitioned %.2f us, repartitioned %.2f us, ratio %.2f; wall ratio %.2f",
             co / Double(orders) * 1e6, re / Double(orders) * 1e6, re / co, reWall / coWall))

// `--stages-apart 1`: once more, stage 1 alone to its end, then stage 2 alone over what it wrote,
// to see which stage the cost is in.
if arguments.int("stages-apart", default: 0) != 0 {
    var shuffled = byOrder
    shuffled.name = "order-fraud-\(runs)"
    let stages = shuffled.stages
    let one = try run(stages[0]), two = try run(stages[1])
    print(String(format: "stages apart: stage 1 %.2f us, stage 2 %.2f us CPU per order", one.cpu / Double(orders) * 1e6,
                 two.cpu / Double(orders) * 1e6))
}
