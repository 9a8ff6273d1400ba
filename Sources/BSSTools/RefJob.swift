/// The parts of a job definition the reference needs, hard-coded to docs/bss-jobs.md §3 and §4.
struct RefJob {
    var name: String
    var sourceTopic: String
    var lateTopic: String
    var outputTopic = "bss.analytics.events"
    var outputType: String
    var outputSource: String
    var fields: [RefInputEvent.Field]
    var window: RefWindowConfig

    static func customerAnalytics(allowedLatenessMs: Int64 = 0) -> RefJob {
        RefJob(name: "customer-analytics", sourceTopic: "bss.customer.events", lateTopic: "bss.customer.events.late",
               outputType: "bss.analytics.customer.window", outputSource: "/stream/customer-analytics",
               fields: RefInputEvent.customerFields,
               window: RefWindowConfig(sizeMs: 300_000, slideMs: 300_000, outOfOrdernessMs: 5000,
                                       allowedLatenessMs: allowedLatenessMs))
    }

    static func orderFraud(allowedLatenessMs: Int64 = 0) -> RefJob {
        RefJob(name: "order-fraud", sourceTopic: "bss.order.events", lateTopic: "bss.order.events.late",
               outputType: "bss.analytics.order.window", outputSource: "/stream/order-fraud",
               fields: RefInputEvent.orderFields,
               window: RefWindowConfig(sizeMs: 600_000, slideMs: 60_000, outOfOrdernessMs: 5000,
                                       allowedLatenessMs: allowedLatenessMs))
    }

    func windowResult<Aggregate>(_ firing: RefFiring<Aggregate>, data: [String: RefJSON]) -> ExpectedRecord {
        let value = RefEnvelope.wrap(id: "\(name):\(firing.customer):\(firing.start):\(firing.revision)",
                                     source: outputSource, type: outputType, time: firing.end,
                                     subject: firing.customer, data: data)
        return ExpectedRecord(topic: outputTopic, key: firing.customer, value: RefJSONWriter.canonical(value))
    }

    /// Runs the job over every partition of a bounded input: each partition in offset
    /// order with its own watermark, then the end of input fires what is pending.
    func run<Aggregate: RefWindowAggregate>(
        _ input: [InputRecord],
        event: (RefInputEvent) -> Aggregate.Event,
        onFiring: (RefFiring<Aggregate>, inout [ExpectedRecord]) -> Void
    ) -> [ExpectedRecord] {
        var out: [ExpectedRecord] = []
        let partitions = Dictionary(grouping: input, by: \.partition)
        for partition in partitions.keys.sorted() {
            var windows = RefWindowOperator<Aggregate>(config: window)
            for record in partitions[partition]!.sorted(by: { $0.offset < $1.offset }) {
                let key = String(decoding: record.key, as: UTF8.self)
                let parsed: RefInputEvent
                do {
                    parsed = try RefInputEvent(value: record.value, fields: fields)
                } catch {
                    let value = RefDeadLetter.value(job: name, topic: sourceTopic, record: record)
                    out.append(ExpectedRecord(topic: RefDeadLetter.topic, key: key, value: RefJSONWriter.canonical(value)))
                    continue
                }
                let added = windows.process(customer: parsed.customerId, time: parsed.time, event: event(parsed)) {
                    onFiring($0, &out)
                }
                if !added {
                    out.append(ExpectedRecord(topic: lateTopic, key: key,
                                              value: SpecReference.canonical(topic: lateTopic, value: record.value)))
                }
            }
            windows.finish { onFiring($0, &out) }
        }
        return out
    }
}
